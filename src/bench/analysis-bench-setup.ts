import { performance } from 'node:perf_hooks';
import os from 'node:os';
import type { Logger } from 'pino';
import { BUNDLED_CONFIG_PATH } from '../config/hub-config-path';
import { loadHubConfig } from '../config/load-hub-config';
import { createLogger } from '../http/ops/logging';
import { createMetrics } from '../http/ops/metrics';
import { composeHub, type ComposedHub } from '../hub-composition';
import { reconcileConfig } from '../services/config-reconciler';
import type { Database } from '../storage/sql/database';
import { openDatabase } from '../storage/sql/open-database';
import { createScratchDatabase } from '../storage/sql/scratch-database';
import { createSqlTenancyStore } from '../storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../storage/tenancy-store';
import { generateDataset, type Dataset } from './analysis-dataset';
import { loadDataset } from './analysis-loader';

/**
 * What both analysis benchmarks start from: a database with the demo configuration, the composed
 * hub over it, the dataset loaded through the submission service, and the indexer's first pass
 * over all of it (timed: the rate at which the analysis keys an existing store).
 *
 * ANALYSIS_BENCH_KEEP=1 keeps the PostgreSQL database afterwards and prints its URL;
 * ANALYSIS_BENCH_REUSE=<url> runs on such a database again (nothing loaded or indexed when it holds
 * the dataset already), for working on the pivot or candidates without a reload.
 */

export interface AnalysisBenchBase {
  readonly db: Database;
  readonly store: TenancyStore;
  readonly hub: ComposedHub;
  readonly dataset: Dataset;
  readonly logger: Logger;
  close(): Promise<void>;
}

export const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
export const count = (n: number) => Math.round(n).toLocaleString('en-US');

async function openBenchDatabase(databaseUrl: string | undefined, prefix: string): Promise<{ db: Database; reused: boolean; drop: () => Promise<void> }> {
  const reuse = process.env.ANALYSIS_BENCH_REUSE;
  if (reuse) {
    const db = await openDatabase({ engine: 'postgres', url: reuse });
    return { db, reused: true, drop: () => db.close() };
  }
  if (databaseUrl === undefined) {
    const db = await openDatabase({ engine: 'pglite' });
    return { db, reused: false, drop: () => db.close() };
  }
  const scratch = await createScratchDatabase(databaseUrl, prefix);
  const db = await openDatabase({ engine: 'postgres', url: scratch.url });
  const keep = process.env.ANALYSIS_BENCH_KEEP === '1';
  return {
    db,
    reused: false,
    drop: async () => {
      await db.close();
      if (keep) console.log(`  kept the database: ANALYSIS_BENCH_REUSE=${scratch.url}`);
      else await scratch.drop();
    },
  };
}

/** Opens, loads `indicators` and indexes them; prints what each step took. `endMillis`: the dataset's last day ends there. */
export async function analysisBenchBase(databaseUrl: string | undefined, prefix: string, indicators: number, print: (line: string) => void): Promise<AnalysisBenchBase> {
  const { db, reused, drop } = await openBenchDatabase(databaseUrl, prefix);
  try {
    const store = createSqlTenancyStore(db);
    const loaded = await loadHubConfig(BUNDLED_CONFIG_PATH);
    if (!loaded.ok) throw new Error('the demo configuration does not load');
    await reconcileConfig(store, loaded.config, { env: {} });
    const logger = createLogger('silent');
    const hub = composeHub({ db, store, hub: loaded.config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false, submissionLimitBytes: 16 * 1024 * 1024 }, logger, metrics: createMetrics() });
    const stored = reused ? Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM stix_objects WHERE type = 'indicator'")).rows[0]?.n ?? 0) : 0;
    // A reused database keeps the dataset's days: they end where its newest version was written.
    const newest = reused ? Number((await db.query<{ m: string | null }>('SELECT max(version) AS m FROM stix_objects')).rows[0]?.m ?? 0) / 1000 : 0;
    const dataset = generateDataset(indicators, newest > 0 ? Math.ceil(newest) : Date.now() - 3_600_000);
    print(`  dataset: ${count(dataset.items)} indicators in ${count(dataset.waves.length)} submissions (${count(dataset.campaigns)} campaigns' waves and bulk feeds of singletons) over 60 days; load average ${load()}`);
    if (stored === 0) {
      const figures = await loadDataset(db, store, logger, dataset, print);
      print(`  loaded as the hub stores submissions (bulk INSERTs, analysis-loader.ts): ${count(figures.items)} indicators (${count(figures.created)} created, ${count(figures.updated)} updated, ${count(figures.unchanged)} unchanged) in ${figures.seconds.toFixed(1)} s, ${count(figures.items / figures.seconds)}/s; load average ${load()}`);
      await db.query('ANALYZE');
    } else {
      print(`  reused: ${count(stored)} indicator versions stored already`);
    }
    const versions = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM stix_objects WHERE type = 'indicator'")).rows[0]?.n ?? 0);
    const keysBefore = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM analysis_keys')).rows[0]?.n ?? 0);
    const started = performance.now();
    await hub.analysis.indexer.catchUp();
    const seconds = (performance.now() - started) / 1000;
    const keys = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM analysis_keys')).rows[0]?.n ?? 0);
    if (keysBefore === 0) {
      print(`  analysis indexer, first pass over the store: ${count(versions)} indicator versions -> ${count(keys)} keys in ${seconds.toFixed(1)} s: ${count(versions / seconds)} indicators keyed/s (feed entries worked out and saved on the way); load average ${load()}`);
      await db.query('ANALYZE');
    } else {
      print(`  analysis keys present already (${count(keys)}); catch-up ${seconds.toFixed(1)} s`);
    }
    return { db, store, hub, dataset, logger, close: drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

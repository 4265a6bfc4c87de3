import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { loadHubConfig } from '../config/load-hub-config';
import { BUNDLED_CONFIG_PATH } from '../config/hub-config-path';
import { syncMirror } from '../cli/match/mirror';
import { reconcileConfig } from '../services/config-reconciler';
import { openDatabase } from '../storage/sql/open-database';
import { createSqlTenancyStore } from '../storage/sql/sql-tenancy-store';
import { createBenchStore, startBenchHub } from './bench-hub-process';
import { loadFeedBenchIndicators } from './feed-bench';

/**
 * The mirror of `taxii-hub match` (issue 14): `indicators` active indicators (default 1,000,000, or
 * MIRROR_BENCH_INDICATORS; c2-ip, c2-hostname, url and SHA-256 in turn, as the feed bench loads
 * them) in acme-internal, served by a hub in its own process; alice's first sync of an empty mirror
 * (TAXII 2.1 pages of 1,000, then the change feed), timed (target: 1,000,000 in <= 2 minutes from a
 * PostgreSQL hub); a second sync with nothing new; then the mirror loaded in a fresh process, whose
 * whole resident memory is measured (target: <= 300 MB for 1,000,000).
 */

const exec = promisify(execFile);
const MB = 1024 * 1024;

export interface MirrorBenchOptions {
  readonly databaseUrl?: string;
  readonly indicators?: number;
}

/** The mirror loaded by a fresh node process: its load time and resident memory (now and peak). */
async function loadInFreshProcess(dir: string): Promise<{ indicators: number; ms: number; rss: number; hwm: number; heap: number }> {
  const mirror = path.join(__dirname, '..', 'cli', 'match', 'mirror', 'index.js');
  const script = `
    const fs = require('node:fs');
    const started = performance.now();
    require(${JSON.stringify(mirror)}).loadMirror(${JSON.stringify(dir)}).then((m) => {
      const ms = performance.now() - started;
      global.gc();
      const status = fs.readFileSync('/proc/self/status', 'utf8');
      const kb = (field) => Number(new RegExp('^' + field + ':\\\\s+(\\\\d+)', 'm').exec(status)[1]) * 1024;
      console.log(JSON.stringify({ indicators: m.indicators, ms, rss: kb('VmRSS'), hwm: kb('VmHWM'), heap: process.memoryUsage().heapUsed }));
    });`;
  const { stdout } = await exec(process.execPath, ['--expose-gc', '-e', script], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { indicators: number; ms: number; rss: number; hwm: number; heap: number };
}

export async function runMirrorSyncBench(options: MirrorBenchOptions, print: (line: string) => void): Promise<void> {
  const count = options.indicators ?? Number(process.env.MIRROR_BENCH_INDICATORS ?? 1_000_000);
  const store = await createBenchStore(options.databaseUrl);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mirror-bench-'));
  try {
    print(`Mirror sync — ${store.engine}, ${count.toLocaleString('en-US')} active indicators in one collection, the hub in its own process`);
    // Seeded before the hub starts (an embedded store is one process's at a time).
    const db = store.engine === 'postgres' ? await openDatabase({ engine: 'postgres', url: store.env.DATABASE_URL as string }) : await openDatabase({ engine: 'pglite', dataDir: store.env.HUB_DATA_DIR as string });
    try {
      const loaded = await loadHubConfig(BUNDLED_CONFIG_PATH);
      if (!loaded.ok) throw new Error('the demo configuration does not load');
      await reconcileConfig(createSqlTenancyStore(db), loaded.config, { env: {} });
      await loadFeedBenchIndicators(db, count, print);
    } finally {
      await db.close();
    }
    const hub = await startBenchHub({ store });
    try {
      const options = { dir, url: hub.url, authorization: `Basic ${Buffer.from('alice:alice-demo-pw').toString('base64')}`, collections: ['acme-internal'] };
      let started = performance.now();
      const first = await syncMirror(options);
      const firstS = (performance.now() - started) / 1000;
      const target = count >= 1_000_000 ? (firstS <= 120 ? 'met' : 'NOT met') : 'n/a below 1,000,000';
      print(`  first sync (empty mirror):  ${firstS.toFixed(1)} s, ${Math.round(count / firstS).toLocaleString('en-US')} objects/s, ${first.indicators.toLocaleString('en-US')} indicators held — target <= 120 s for 1,000,000: ${target}`);
      started = performance.now();
      await syncMirror(options);
      print(`  second sync (nothing new):  ${((performance.now() - started) / 1000).toFixed(1)} s (reads the mirror, one empty TAXII page, one empty change read)`);
      const { stdout } = await exec('du', ['-sk', dir]);
      print(`  mirror on disk:             ${(Number(stdout.split('\t')[0]) / 1024).toFixed(0)} MB`);
      const load = await loadInFreshProcess(dir);
      const memoryTarget = count >= 1_000_000 ? (load.hwm <= 300 * MB ? 'met' : 'NOT met') : 'n/a below 1,000,000';
      print(`  loaded in a fresh process:  ${(load.ms / 1000).toFixed(1)} s, ${load.indicators.toLocaleString('en-US')} indicators; resident ${(load.rss / MB).toFixed(0)} MB after GC, peak ${(load.hwm / MB).toFixed(0)} MB, heap ${(load.heap / MB).toFixed(0)} MB — target peak <= 300 MB for 1,000,000: ${memoryTarget}`);
    } finally {
      await hub.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await store.drop();
  }
}

import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Principal } from '../domain/principal';
import { BUNDLED_CONFIG_PATH } from '../config/hub-config-path';
import { loadHubConfig } from '../config/load-hub-config';
import { createLogger } from '../http/ops/logging';
import { createMetrics } from '../http/ops/metrics';
import { composeHub } from '../hub-composition';
import { reconcileConfig } from '../services/config-reconciler';
import type { Database } from '../storage/sql/database';
import { openDatabase } from '../storage/sql/open-database';
import { createScratchDatabase } from '../storage/sql/scratch-database';
import { createSqlTenancyStore } from '../storage/sql/sql-tenancy-store';
import { loadFeedBenchIndicators } from './feed-bench';

/**
 * POST /api/match (issue 14 §4): `indicators` active indicators (default 100,000: c2-ip, c2-hostname,
 * url and SHA-256 hashes in turn, the sensor-feed bench's) in acme-internal, then over HTTP on a
 * loopback port:
 * - the first request of an audience (alice's): the index built, every version's values worked out
 *   from its pattern (no feed was rendered, so none are saved);
 * - the first request of another audience (the operator's) after a csv feed saved the values: the
 *   index built from saved feed entries;
 * - 10,000 values with a warm index (half hits: addresses, subdomains, URLs, upper-case hashes; half
 *   misses), median of 10 (target <= 100 ms), and the same in the service without HTTP;
 * - 10,000 Squid lines (format squid and auto), median of 5.
 */

export interface MatchBenchOptions {
  readonly databaseUrl?: string;
  /** Default 100,000 (or MATCH_BENCH_INDICATORS). */
  readonly indicators?: number;
}

const COLLECTION = '948f89cd-d3ab-4b2e-bb60-bdffe702b793'; // acme-internal
const VALUES = 10_000;

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** The value of loaded indicator `i` (1-based) as a log would write it, and its kind (feed-bench's loadSql). */
function hitOf(i: number): { value: string; kind: string } {
  switch (i % 4) {
    case 0: return { value: `45.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, kind: 'ip' };
    case 1: return { value: `www.c2-${i}.feed-bench-c2.net`, kind: 'host' }; // a subdomain of the shared host
    case 2: return { value: `https://gate-${i}.feed-bench-c2.net/panel/login.php`, kind: 'url' };
    default: return { value: (md5(`h${i}`) + md5(`H${i}`)).toUpperCase(), kind: 'hash' };
  }
}

/** Half hits spread over the loaded indicators, half misses of the same kinds. */
function requestValues(count: number): { value: string; kind: string }[] {
  return Array.from({ length: VALUES }, (_, n) => {
    const i = 1 + ((n * 7919) % count);
    if (n % 2 === 0) return hitOf(i);
    const hit = hitOf(i);
    return { ...hit, value: hit.kind === 'ip' ? `46.${hit.value.slice(3)}` : hit.kind === 'hash' ? hit.value.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) : hit.value.replace('feed-bench-c2', 'feed-bench-ok') };
  });
}

function squidLines(count: number): string[] {
  return Array.from({ length: VALUES }, (_, n) => {
    const i = 1 + ((n * 7919) % count);
    const url = n % 2 === 0 ? `https://gate-${i - (i % 4) + 2}.feed-bench-c2.net/panel/login.php` : `https://www.example-${n}.org/index.html`;
    return `1796551201.${String(n % 1000).padStart(3, '0')}    412 192.0.2.${n % 250} TCP_MISS/200 48211 GET ${url} - HIER_DIRECT/203.0.113.${n % 250} text/html`;
  });
}

async function openBenchDatabase(databaseUrl: string | undefined): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (databaseUrl === undefined) {
    const db = await openDatabase({ engine: 'pglite' });
    return { db, drop: () => db.close() };
  }
  const scratch = await createScratchDatabase(databaseUrl, 'taxii_hub_match_bench');
  const db = await openDatabase({ engine: 'postgres', url: scratch.url });
  return { db, drop: async () => { await db.close(); await scratch.drop(); } };
}

export async function runMatchApiBench(options: MatchBenchOptions, print: (line: string) => void): Promise<void> {
  const count = options.indicators ?? Number(process.env.MATCH_BENCH_INDICATORS ?? 100_000);
  const { db, drop } = await openBenchDatabase(options.databaseUrl);
  let server: Server | undefined;
  try {
    print(`POST /api/match — ${db.engine}, ${count.toLocaleString('en-US')} active indicators in one collection`);
    const store = createSqlTenancyStore(db);
    const loaded = await loadHubConfig(BUNDLED_CONFIG_PATH);
    if (!loaded.ok) throw new Error('the demo configuration does not load');
    await reconcileConfig(store, loaded.config, { env: {} });
    const hub = composeHub({ db, store, hub: loaded.config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false, submissionLimitBytes: 16 * 1024 * 1024 }, logger: createLogger('silent'), metrics: createMetrics() });
    await loadFeedBenchIndicators(db, count, print);
    server = hub.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const post = async (username: string, body: unknown): Promise<[{ results: { matches: unknown[] }[] }, number]> => {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/match`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${username}:${username}-demo-pw`).toString('base64')}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      const took = performance.now() - started;
      if (!res.ok) throw new Error(`POST /api/match answered ${res.status}: ${text.slice(0, 300)}`);
      return [JSON.parse(text) as { results: { matches: unknown[] }[] }, took];
    };
    const values = requestValues(count);
    const one = { values: values.slice(0, 1), collections: [COLLECTION] };

    const heapBefore = process.memoryUsage().heapUsed;
    const [, coldMs] = await post('alice', one);
    const heapAfter = process.memoryUsage().heapUsed;
    print(`  first request of an audience (index built, values worked out from patterns): ${ms(coldMs)}; heap +${((heapAfter - heapBefore) / 1_048_576).toFixed(0)} MiB (rough, no GC forced)`);
    const feed = await fetch(`http://127.0.0.1:${port}/api/collections/${COLLECTION}/feeds/csv`, { headers: { Authorization: `Basic ${Buffer.from('alice:alice-demo-pw').toString('base64')}` } });
    await feed.arrayBuffer();
    const [, savedMs] = await post('operator', one);
    print(`  first request of another audience, feed entries saved (a csv feed rendered first): ${ms(savedMs)}`);

    const body = { values, collections: [COLLECTION] };
    const times: number[] = [];
    let hits = 0;
    for (let run = 0; run < 10; run++) {
      const [answer, took] = await post('alice', body);
      times.push(took);
      hits = answer.results.filter((r) => r.matches.length > 0).length;
    }
    const warm = median(times);
    print(`  ${VALUES.toLocaleString('en-US')} values, warm index, over HTTP: median of 10 ${ms(warm)}, min ${ms(Math.min(...times))} (${hits.toLocaleString('en-US')} with a match) — target <= 100 ms: ${warm <= 100 ? 'met' : 'NOT met'}`);
    const who: Principal = { userId: 'alice', username: 'alice', organizationId: 'acme-hq', roles: new Set(['provider', 'consumer', 'org-admin']), via: 'local' };
    const inService: number[] = [];
    for (let run = 0; run < 10; run++) {
      const started = performance.now();
      await hub.matches.match(who, { values: values as never, collections: [COLLECTION] });
      inService.push(performance.now() - started);
    }
    print(`  the same in the service (no HTTP, JSON or schema): median of 10 ${ms(median(inService))}`);
    const allCollections = await post('alice', { values });
    print(`  the same over every collection alice reads (default): ${ms(allCollections[1])}`);

    const lines = squidLines(count);
    for (const format of ['squid', 'auto']) {
      const lineTimes: number[] = [];
      let lineHits = 0;
      for (let run = 0; run < 5; run++) {
        const [answer, took] = await post('alice', { lines, format, collections: [COLLECTION] });
        lineTimes.push(took);
        lineHits = answer.results.filter((r) => r.matches.length > 0).length;
      }
      print(`  ${VALUES.toLocaleString('en-US')} Squid lines (format ${format}), warm: median of 5 ${ms(median(lineTimes))} (${lineHits.toLocaleString('en-US')} with a match)`);
    }
    const counters = hub.matches.counters();
    print(`  counters: ${counters.builds} index builds; cache ${counters.cache.indexes} indexes, ${counters.cache.indicators.toLocaleString('en-US')} indicators held (bound ${counters.cache.maxIndicators.toLocaleString('en-US')})`);
  } finally {
    if (server !== undefined) await new Promise((resolve) => server?.close(resolve));
    await drop();
  }
}

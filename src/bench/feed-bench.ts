import { performance } from 'node:perf_hooks';
import type { Server } from 'node:http';
import type { Principal } from '../domain/principal';
import type { FeedEntry } from '../domain/feeds/feed-entry';
import type { IndicatorKind } from '../domain/indicators';
import { FEED_ENTRY_DERIVATION } from '../services/feeds/feed-service';
import { FEED_RENDERERS } from '../domain/feeds/feed-renderers';
import { loadHubConfig } from '../config/load-hub-config';
import { BUNDLED_CONFIG_PATH } from '../config/hub-config-path';
import { createLogger } from '../http/ops/logging';
import { createMetrics } from '../http/ops/metrics';
import { composeHub } from '../hub-composition';
import { reconcileConfig } from '../services/config-reconciler';
import type { FeedAnswer } from '../services/feeds/feed-service';
import type { Database } from '../storage/sql/database';
import { openDatabase } from '../storage/sql/open-database';
import { createScratchDatabase } from '../storage/sql/scratch-database';
import { SqlSensorFeedStore } from '../storage/sql/sql-sensor-feed-store';
import type { ActiveIndicator } from '../storage/sensor-feed-store';
import { createSqlTenancyStore } from '../storage/sql/sql-tenancy-store';

/**
 * Sensor feeds (issue 13 §5): `indicators` active indicator heads (default 1,000,000: c2-ip,
 * c2-hostname, url and SHA-256 file hashes in turn, each a realistic hub-written indicator) loaded
 * straight into acme-internal with SQL (the write path is the submission bench's), then, through
 * the feed service in this process, for acme-hq's audience:
 * - the first csv render ever (which works out every version's entries and saves them, feed_entries);
 * - after 1,000 changes (one submission of 1,000 new indicators), the csv render at the new position
 *   (the kept feed brought up to date from the change feed; target: 1,000,000 in <= 3 s), a full
 *   render from saved entries (another key), and where a full render's time goes: reading heads with
 *   their entries, the renderer;
 * - the text feed of c2-ip; the same csv again (the cache), with its ETag (304) and gzip (made once);
 * - a `since` delta of those 1,000 changes (target <= 50 ms).
 */

export interface FeedBenchOptions {
  readonly databaseUrl?: string;
  /** Default 1,000,000 (or FEED_BENCH_INDICATORS). */
  readonly indicators?: number;
}

const COLLECTION = '948f89cd-d3ab-4b2e-bb60-bdffe702b793'; // acme-internal
const HUB_EXTENSION = 'extension-definition--f92e8a7a-6b8c-4e0e-9a61-2d3c8a1e5b70';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const LOAD_BATCH = 50_000;

const READER: Principal = { userId: 'alice', username: 'alice', organizationId: 'acme-hq', roles: new Set(['provider', 'consumer', 'org-admin']), via: 'local' };

/** Rows `from`..`to` (1-based) as hub-written indicators of acme-east, AMBER, positions after `base`. */
function loadSql(base: number): string {
  return `
WITH g AS (SELECT i, $2::bigint + i AS added, 'indicator--' || md5('feed-bench' || i)::uuid AS id, i % 4 AS k FROM generate_series($3::int, $4::int) AS i),
v AS (SELECT g.*, CASE k
    WHEN 0 THEN '45.' || ((i >> 16) & 255) || '.' || ((i >> 8) & 255) || '.' || (i & 255)
    WHEN 1 THEN 'c2-' || i || '.feed-bench-c2.net'
    WHEN 2 THEN 'https://gate-' || i || '.feed-bench-c2.net/panel/login.php'
    ELSE md5('h' || i) || md5('H' || i) END AS value,
  (ARRAY['c2-ip', 'c2-hostname', 'url', 'file-hash'])[k + 1] AS kind FROM g)
INSERT INTO stix_objects (collection_id, date_added, id, type, spec_version, version, provider_org_id, tlp, recipients, object, is_head, valid_until, written_by)
SELECT $1::uuid, added, id, 'indicator', '2.1', ${base}, 'acme-east', 'amber', '{}',
  jsonb_build_object('type', 'indicator', 'spec_version', '2.1', 'id', id, 'created', '2026-11-01T00:00:00.000Z', 'modified', '2026-11-01T00:00:00.000Z',
    'created_by_ref', 'identity--0c6f3a4e-3f4b-4d6e-9f67-0d8b8f0c2a11', 'name', kind || ' ' || value,
    'description', 'A value seen in a targeted attack against a member, shared for blocking.',
    'indicator_types', '["malicious-activity"]'::jsonb,
    'pattern', CASE k WHEN 0 THEN '[ipv4-addr:value = ''' || value || ''']' WHEN 1 THEN '[domain-name:value = ''' || value || ''']'
      WHEN 2 THEN '[url:value = ''' || value || ''']' ELSE '[file:hashes.''SHA-256'' = ''' || value || ''']' END,
    'pattern_type', 'stix', 'pattern_version', '2.1', 'valid_from', '2026-11-01T00:00:00Z', 'valid_until', '2030-01-01T00:00:00.000Z',
    'kill_chain_phases', '[{"kill_chain_name": "lockheed-martin-cyber-kill-chain", "phase_name": "command-and-control"}]'::jsonb,
    'confidence', 50 + i % 50, 'object_marking_refs', '["${AMBER}"]'::jsonb,
    'extensions', jsonb_build_object('${HUB_EXTENSION}', jsonb_build_object('extension_type', 'property-extension', 'kind', kind, 'state', 'active')
      || CASE k WHEN 3 THEN '{"hash_algorithm": "SHA-256"}'::jsonb ELSE '{}'::jsonb END)),
  true, 1893456000000000, 'feed-bench'
FROM v`;
}

/** Loads `count` indicator heads into acme-internal with SQL (exported for profiling the feed queries by hand). */
export async function loadFeedBenchIndicators(db: Database, count: number, print: (line: string) => void): Promise<void> {
  const started = performance.now();
  const clock = await db.query<{ last: string }>('SELECT last_date_added AS last FROM collection_clocks WHERE collection_id = $1', [COLLECTION]);
  const base = Math.max(Number(clock.rows[0]?.last ?? 0), Date.parse('2026-11-01T00:00:00Z') * 1000);
  for (let from = 1; from <= count; from += LOAD_BATCH) {
    await db.query(loadSql(base), [COLLECTION, base, from, Math.min(count, from + LOAD_BATCH - 1)]);
  }
  await db.query(
    `INSERT INTO collection_clocks (collection_id, last_date_added) VALUES ($1, $2)
     ON CONFLICT (collection_id) DO UPDATE SET last_date_added = GREATEST(collection_clocks.last_date_added, EXCLUDED.last_date_added)`,
    [COLLECTION, base + count],
  );
  await db.query('ANALYZE stix_objects');
  print(`  loaded ${count.toLocaleString('en-US')} indicator heads in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

function bytes(answer: FeedAnswer): string {
  return answer.status === 'ok' ? `${(answer.body.length / 1_048_576).toFixed(1)} MiB` : '304';
}

async function openBenchDatabase(databaseUrl: string | undefined): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (databaseUrl === undefined) {
    const db = await openDatabase({ engine: 'pglite' });
    return { db, drop: () => db.close() };
  }
  const scratch = await createScratchDatabase(databaseUrl, 'taxii_hub_feed_bench');
  const db = await openDatabase({ engine: 'postgres', url: scratch.url });
  return { db, drop: async () => { await db.close(); await scratch.drop(); } };
}

export async function runFeedBench(options: FeedBenchOptions, print: (line: string) => void): Promise<void> {
  const count = options.indicators ?? Number(process.env.FEED_BENCH_INDICATORS ?? 1_000_000);
  const { db, drop } = await openBenchDatabase(options.databaseUrl);
  let server: Server | undefined;
  try {
    print(`Sensor feeds — ${db.engine}, ${count.toLocaleString('en-US')} active indicators in one collection`);
    const store = createSqlTenancyStore(db);
    const loaded = await loadHubConfig(BUNDLED_CONFIG_PATH);
    if (!loaded.ok) throw new Error('the demo configuration does not load');
    await reconcileConfig(store, loaded.config, { env: {} });
    const hub = composeHub({ db, store, hub: loaded.config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
    await loadFeedBenchIndicators(db, count, print);
    const feeds = hub.feeds;
    const fetch = (format: string, query: Record<string, string> = {}, conditions: { ifNoneMatch?: string; acceptsGzip?: boolean } = {}) =>
      timed(() => feeds.fetch(READER, { collection: COLLECTION, format, ...query }, { acceptsGzip: conditions.acceptsGzip ?? false, ...(conditions.ifNoneMatch !== undefined ? { ifNoneMatch: conditions.ifNoneMatch } : {}) }));

    const [cold, coldMs] = await fetch('csv');
    print(`  csv, first render ever:        ${ms(coldMs)} (${bytes(cold)}; works out and saves every version's entries)`);

    // 1,000 changes (one submission of 1,000 new indicators): the collection moves on.
    server = hub.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const indicators = Array.from({ length: 1000 }, (_, i) => ({ kind: 'c2-hostname', value: `delta-${i}.feed-bench-c2.net` }));
    const auth = `Basic ${Buffer.from('alice:alice-demo-pw').toString('base64')}`;
    const submitted = await globalThis.fetch(`http://127.0.0.1:${port}/api/submissions`, {
      method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ collection: COLLECTION, valid_from: '2026-11-01T00:00:00Z', indicators }),
    });
    if (!submitted.ok) throw new Error(`the delta's submission answered ${submitted.status}: ${(await submitted.text()).slice(0, 300)}`);

    const [moved, movedMs] = await fetch('csv');
    const target = count >= 1_000_000 ? (movedMs <= 3000 ? 'met' : 'NOT met') : 'n/a below 1,000,000';
    print(`  csv, render at a new position (kept feed + 1,000 changes): ${ms(movedMs)} (${bytes(moved)}) — target <= 3,000 ms for 1,000,000: ${target}`);
    const [, fullMs] = await fetch('csv', { minConfidence: '0' });
    print(`  csv, full render from saved entries (another key): ${ms(fullMs)}`);
    await profile(db, count, print);
    const [, textMs] = await fetch('text', { kind: 'c2-ip' });
    print(`  text (c2-ip), render:          ${ms(textMs)}`);
    const [, warmMs] = await fetch('csv');
    print(`  csv again (cache):             ${ms(warmMs)}`);
    const etag = moved.status === 'ok' ? moved.etag : undefined;
    const [notModified, notModifiedMs] = await fetch('csv', {}, etag !== undefined ? { ifNoneMatch: etag } : {});
    print(`  csv with If-None-Match:        ${ms(notModifiedMs)} (${notModified.status})`);
    const [zipped, gzipMs] = await fetch('csv', {}, { acceptsGzip: true });
    print(`  csv gzip, first (compress):    ${ms(gzipMs)} (${bytes(zipped)})`);
    const [, gzipAgainMs] = await fetch('csv', {}, { acceptsGzip: true });
    print(`  csv gzip, again:               ${ms(gzipAgainMs)}`);

    const since = cold.status === 'ok' ? cold.cursor : '';
    const deltas: number[] = [];
    let rows = 0;
    for (let i = 0; i < 5; i++) {
      const [delta, deltaMs] = await fetch('csv', { since });
      deltas.push(deltaMs);
      if (delta.status === 'ok') rows = delta.body.toString('utf8').split('\r\n').length - 2;
    }
    deltas.sort((a, b) => a - b);
    const median = deltas[2] ?? 0;
    print(`  csv since (1,000 changes):     median of 5 ${ms(median)}, min ${ms(deltas[0] ?? 0)} (${rows} rows) — target <= 50 ms: ${median <= 50 ? 'met' : 'NOT met'}`);
    const full = await timed(async () => (await globalThis.fetch(`http://127.0.0.1:${port}/api/collections/${COLLECTION}/feeds/csv`, { headers: { Authorization: auth } })).arrayBuffer());
    print(`  csv over HTTP from the cache (transfer): ${ms(full[1])}`);
    const counters = feeds.counters();
    print(`  counters: ${counters.renders} full renders, ${counters.incrementalRenders} incremental, ${counters.cacheHits} cache hits, ${counters.notModified} not modified, ${counters.deltas} deltas; cache ${(counters.cache.bytes / 1_048_576).toFixed(0)} MiB in ${counters.cache.entries} feeds`);
  } finally {
    if (server !== undefined) await new Promise((resolve) => server?.close(resolve));
    await drop();
  }
}

/** Where a render's time goes once entries are saved: reading the heads with their entries, and the csv renderer. */
async function profile(db: Database, count: number, print: (line: string) => void): Promise<void> {
  const store = new SqlSensorFeedStore(db);
  const scope = { kind: 'all' } as const;
  const heads: ActiveIndicator[] = [];
  const [, readMs] = await timed(async () => {
    let after: number | undefined;
    for (;;) {
      const page = await store.activeIndicators({ collectionId: COLLECTION, scope, nowMicros: Date.now() * 1000, derivation: FEED_ENTRY_DERIVATION, ...(after !== undefined ? { afterDateAdded: after } : {}) }, 5000);
      heads.push(...page.indicators);
      after = page.indicators.at(-1)?.dateAdded;
      if (!page.more || after === undefined) break;
    }
  });
  const entries: FeedEntry[] = heads.flatMap((h) => (h.derived?.values ?? []).map((v) => ({ indicatorId: h.id, version: h.version, kind: v.kind as IndicatorKind, value: v.value, tlp: h.tlp, campaigns: [] })));
  const [, renderMs] = await timed(async () => FEED_RENDERERS.csv.render(entries, { hubName: 'bench', collection: COLLECTION, generatedAt: new Date().toISOString() }));
  print(`    profile over ${count.toLocaleString('en-US')} heads: read heads + saved entries (SQL, chunks of 5,000) ${ms(readMs)}; csv render ${ms(renderMs)}`);
}

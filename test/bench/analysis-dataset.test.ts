import { normaliseIndicator, type NormalisedIndicator } from '../../src/domain/indicators';
import { dedupKey } from '../../src/services/submission-items';
import { createLogger } from '../../src/http/ops/logging';
import { createMetrics } from '../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../src/hub-composition';
import { generateDataset, POPULAR } from '../../src/bench/analysis-dataset';
import { loadDataset, principalOf, waveDocument } from '../../src/bench/analysis-loader';
import { createSharingServices } from '../../src/hub-composition';
import type { Database } from '../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import { createStixValidator } from '../../src/validation/stix-validator';
import { applyDemoConfig } from '../support/demo-config';
import { openTestDatabase, testEngines } from '../support/test-databases';

/** The analysis benchmarks' data: realistic reuse, and rows the hub itself reads as its own submissions' rows. */
describe('the analysis dataset', () => {
  it('is deterministic, in time order, of about the size asked, with values reused across providers and collections', () => {
    const end = Date.parse('2026-12-01T00:00:00Z');
    const a = generateDataset(20_000, end);
    expect(generateDataset(20_000, end).waves.map((w) => w.items)).toEqual(a.waves.map((w) => w.items));
    expect(a.items).toBeGreaterThanOrEqual(20_000);
    expect(a.items).toBeLessThan(21_000);
    expect(a.waves.every((w, i) => i === 0 || (a.waves[i - 1]?.atMillis ?? 0) <= w.atMillis)).toBe(true);
    const placesOf = new Map<string, Set<string>>();
    for (const w of a.waves) for (const item of w.items) placesOf.set(item.value, (placesOf.get(item.value) ?? new Set()).add(`${w.collection}/${w.provider}`));
    const reusedAcross = [...placesOf.values()].filter((p) => p.size >= 2).length;
    expect(reusedAcross).toBeGreaterThan(100); // campaign infrastructure seen by several providers
    expect([...placesOf.values()].filter((p) => p.size === 1).length).toBeGreaterThan(a.items * 0.4); // singletons
    expect(placesOf.get(POPULAR.sharedHostingIp)?.size ?? 0).toBeGreaterThanOrEqual(2);
    expect(a.waves.some((w) => w.items.some((i) => i.kind === 'email-sender-ip' && i.value.includes('/')))).toBe(true);
    for (const w of a.waves.slice(0, 300)) for (const item of w.items) expect(normaliseIndicator(item)).toMatchObject({ ok: true });
  });
});

describe.each(testEngines())('the analysis loader on %s', (engine) => {
  let db: Database;
  let hub: ComposedHub;
  const dataset = generateDataset(1_500, Date.now() - 3_600_000);

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    const config = await applyDemoConfig(store);
    hub = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
    await loadDataset(db, store, createLogger('silent'), dataset, () => {});
  }, 120_000);
  afterAll(async () => {
    await hub.analysis.indexer.stop();
    await db.close();
  });

  it('stores valid STIX, one head per object, every reference and key, as the write path does', async () => {
    const validate = createStixValidator();
    const { rows } = await db.query<{ object: Record<string, unknown>; type: string }>('SELECT object, type FROM stix_objects WHERE is_head');
    for (const row of rows) expect(validate(row.object)).toMatchObject({ ok: true });
    const heads = await db.query<{ n: string; ids: string }>('SELECT count(*) AS n, count(DISTINCT (collection_id, id)) AS ids FROM stix_objects WHERE is_head');
    const all = await db.query<{ ids: string }>('SELECT count(DISTINCT (collection_id, id)) AS ids FROM stix_objects');
    expect(heads.rows[0]?.n).toBe(heads.rows[0]?.ids);
    expect(heads.rows[0]?.ids).toBe(all.rows[0]?.ids);
    const keyed = await db.query<{ n: string }>("SELECT count(*) AS n FROM stix_objects o WHERE o.is_head AND o.type = 'indicator' AND NOT EXISTS (SELECT 1 FROM indicator_keys k WHERE k.collection_id = o.collection_id AND k.object_id = o.id)");
    expect(keyed.rows[0]?.n).toBe('0');
    const dangling = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM stix_objects r WHERE r.type = 'relationship' AND NOT EXISTS (SELECT 1 FROM object_references x WHERE x.collection_id = r.collection_id AND x.source_id = r.id AND x.target_id = r.object->>'target_ref')`,
    );
    expect(dangling.rows[0]?.n).toBe('0');
    const campaigns = await db.query<{ n: string }>("SELECT count(*) AS n FROM stix_objects WHERE type = 'campaign'");
    expect(Number(campaigns.rows[0]?.n)).toBeGreaterThan(0);
  });

  it('is read by the submission service as its own: a wave submitted again updates the same indicators', async () => {
    const wave = dataset.waves.find((w) => w.truth >= 0 && w.tlp !== 'red') ?? dataset.waves[0];
    if (wave === undefined) throw new Error('no wave');
    const stored = await db.query<{ id: string }>(
      "SELECT DISTINCT o.id FROM stix_objects o JOIN indicator_keys k ON k.collection_id = o.collection_id AND k.object_id = o.id WHERE o.collection_id = $1 AND k.provider_org_id = $2 AND k.value = ANY($3::text[])",
      [wave.collection, wave.provider, wave.items.map((i) => dedupKey((normaliseIndicator(i) as { indicator: NormalisedIndicator }).indicator).value)],
    );
    const { submissions } = createSharingServices({ db, store: createSqlTenancyStore(db), logger: createLogger('silent') });
    const result = await submissions.submit(principalOf(wave.provider), { ...waveDocument(wave), valid_from: new Date().toISOString() });
    expect(result.summary.created).toBe(0);
    expect(result.summary.rejected).toBe(0);
    const ids = new Set(result.items.map((i) => ('id' in i ? i.id : undefined)));
    expect(stored.rows.length).toBeGreaterThan(0);
    for (const row of stored.rows) expect(ids.has(row.id)).toBe(true);
  });
});

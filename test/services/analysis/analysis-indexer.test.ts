import request from 'supertest';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../../src/hub-composition';
import type { Database } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { demoAuth } from '../../http/support/demo-config-hub';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../../support/demo-config';
import { openTestDatabase, testEngines } from '../../support/test-databases';

/** The analysis indexer gives every stored indicator version its keys after the write, from any write path. */
describe.each(testEngines())('the analysis indexer on %s', (engine) => {
  let db: Database;
  let hub: ComposedHub;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    const config = await applyDemoConfig(store);
    hub = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
  });
  afterAll(async () => {
    await hub.analysis.indexer.stop();
    await db.close();
  });

  const keysOf = async (collectionId: string, objectId: string) =>
    (
      await db.query<{ key: string; net: string | null; is_head: boolean }>(
        `SELECT k.key, k.net::text AS net, o.is_head FROM analysis_keys k JOIN stix_objects o USING (collection_id, date_added)
          WHERE o.collection_id = $1 AND o.id = $2 ORDER BY o.date_added, k.key`,
        [collectionId, objectId],
      )
    ).rows;

  it('indexes submitted indicators, each version, and what TAXII 2.1 stores', async () => {
    const submitted = await request(hub.app)
      .post('/api/submissions')
      .set('Authorization', demoAuth('alice'))
      .send({
        collection: DEMO_COLLECTIONS.allianceExchange,
        valid_from: new Date().toISOString(),
        indicators: [
          { kind: 'email-from', value: 'billing@kuro-relay.example' },
          { kind: 'c2-ip', value: '198.51.100.0/24' },
        ],
      });
    expect(submitted.status).toBe(200);
    const [from, network] = (submitted.body as { indicators: { id: string }[] }).indicators.map((i) => i.id) as [string, string];
    const stix = {
      type: 'bundle',
      id: 'bundle--6d7e3c1f-52a4-4c52-9d1e-3f1c5b1e2a10',
      objects: [
        {
          type: 'indicator', spec_version: '2.1', id: 'indicator--0b8a5b1c-7c1e-4d0e-8d7a-5b4f0c2e9a11', created: '2026-12-01T00:00:00.000Z', modified: '2026-12-01T00:00:00.000Z',
          pattern: "[url:value = 'http://cdn.kuro-relay.example/stage2'] OR [domain-name:value = 'kuro-relay.example']", pattern_type: 'stix', valid_from: '2026-12-01T00:00:00Z',
        },
      ],
    };
    const rootPath = `/demo/collections/${DEMO_COLLECTIONS.allianceExchange}/objects/`;
    const posted = await request(hub.app).post(rootPath).set('Authorization', demoAuth('alice')).set('Content-Type', 'application/taxii+json;version=2.1').set('Accept', 'application/taxii+json;version=2.1').send(JSON.stringify(stix));
    expect([200, 202]).toContain(posted.status);

    await hub.analysis.indexer.catchUp();
    await hub.analysis.indexer.heard();
    expect(await keysOf(DEMO_COLLECTIONS.allianceExchange, from)).toEqual([
      { key: 'email:billing@kuro-relay.example', net: null, is_head: true },
      { key: 'host:example.kuro-relay', net: null, is_head: true },
    ]);
    expect(await keysOf(DEMO_COLLECTIONS.allianceExchange, network)).toEqual([{ key: 'net:198.51.100.0/24', net: '198.51.100.0/24', is_head: true }]);
    expect((await keysOf(DEMO_COLLECTIONS.allianceExchange, 'indicator--0b8a5b1c-7c1e-4d0e-8d7a-5b4f0c2e9a11')).map((k) => k.key)).toEqual([
      'host:example.kuro-relay',
      'host:example.kuro-relay.cdn',
      'url:http://cdn.kuro-relay.example/stage2',
    ]);

    // A new version (revoke) gets its own keys; the superseded version's go (only heads are read).
    const revoked = await request(hub.app)
      .post(`/api/collections/${DEMO_COLLECTIONS.allianceExchange}/indicators/${from}/revoke`)
      .set('Authorization', demoAuth('alice'))
      .send({ reason: 'a test' });
    expect(revoked.status).toBe(200);
    await hub.analysis.indexer.catchUp();
    await hub.analysis.indexer.heard();
    expect((await keysOf(DEMO_COLLECTIONS.allianceExchange, from)).map((k) => `${k.key} ${k.is_head}`)).toEqual([
      'email:billing@kuro-relay.example true',
      'host:example.kuro-relay true',
    ]);

    // Deleting the latest version over TAXII 2.1 makes the first the head again: it is keyed again.
    const versions = await db.query<{ modified: string }>(
      `SELECT object->>'modified' AS modified FROM stix_objects WHERE collection_id = $1 AND id = $2 ORDER BY version`,
      [DEMO_COLLECTIONS.allianceExchange, from],
    );
    const latest = versions.rows[versions.rows.length - 1]?.modified ?? '';
    const deleted = await request(hub.app)
      .delete(`${rootPath}${from}/?match[version]=${encodeURIComponent(latest)}`)
      .set('Authorization', demoAuth('operator'))
      .set('Accept', 'application/taxii+json;version=2.1');
    expect(deleted.status).toBe(200);
    await hub.analysis.indexer.catchUp();
    await hub.analysis.indexer.heard();
    expect((await keysOf(DEMO_COLLECTIONS.allianceExchange, from)).map((k) => `${k.key} ${k.is_head}`)).toEqual([
      'email:billing@kuro-relay.example true',
      'host:example.kuro-relay true',
    ]);
    expect(versions.rows).toHaveLength(2);
  });

  it('tells listeners each batch it indexed, and catches up with nothing new at once', async () => {
    const heard: string[] = [];
    const off = hub.analysis.indexer.onIndexed((batch) => {
      heard.push(`${batch.collectionId} ${batch.versions.length}`);
    });
    const submitted = await request(hub.app)
      .post('/api/submissions')
      .set('Authorization', demoAuth('bob'))
      .send({ collection: DEMO_COLLECTIONS.acmeInternal, valid_from: new Date().toISOString(), indicators: [{ kind: 'file-hash', algorithm: 'MD5', value: '5f2b0e8a9c7d4e1b3a6f8c0d2e4b6a81' }] });
    expect((submitted.body as { summary: { created: number } }).summary.created).toBe(1);
    await hub.analysis.indexer.catchUp();
    await hub.analysis.indexer.heard();
    await hub.analysis.indexer.catchUp();
    await hub.analysis.indexer.heard();
    off();
    expect(heard).toEqual([`${DEMO_COLLECTIONS.acmeInternal} 1`]);
  });
});

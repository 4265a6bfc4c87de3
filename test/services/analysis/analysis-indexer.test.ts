import request from 'supertest';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../../src/hub-composition';
import type { Database } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { demoAuth } from '../../http/support/demo-config-hub';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../../support/demo-config';
import { openTestDatabase, testEngines } from '../../support/test-databases';
import { MAX_ATTEMPTS } from '../../../src/services/analysis/analysis-indexer';

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

  const marks = async (collectionId: string) =>
    (
      await db.query<{ clock: string; indexed: string | null; announced: string | null }>(
        `SELECT c.last_date_added AS clock, w.indexed_through AS indexed, w.announced_through AS announced
           FROM collection_clocks c LEFT JOIN analysis_watermarks w USING (collection_id) WHERE c.collection_id = $1`,
        [collectionId],
      )
    ).rows.map((r) => ({ clock: Number(r.clock), indexed: Number(r.indexed), announced: Number(r.announced) }))[0];
  const allKeys = async (collectionId: string) =>
    (await db.query<{ k: string }>(`SELECT date_added || ' ' || key || ' ' || coalesce(net::text, '-') AS k FROM analysis_keys WHERE collection_id = $1 ORDER BY 1`, [collectionId])).rows.map((r) => r.k);
  const submit = async (user: string, collection: string, indicators: readonly Record<string, string>[]) => {
    const res = await request(hub.app).post('/api/submissions').set('Authorization', demoAuth(user)).send({ collection, valid_from: new Date().toISOString(), indicators });
    expect(res.status).toBe(200);
    return (res.body as { indicators: { id: string }[] }).indicators.map((i) => i.id);
  };

  it('keys a submission as it commits, as the indexer would, and moves the watermark with the clock', async () => {
    const collection = DEMO_COLLECTIONS.initechPrivate;
    const ids = await submit('frank', collection, [
      { kind: 'email-sender-ip', value: '203.0.113.77' },
      { kind: 'email-from', value: 'Payroll@Mail.Ginkgo-Post.example' },
      { kind: 'email-subject', value: 'Quarterly Bonus Statement' },
      { kind: 'email-attachment-name', value: 'Bonus_Q4.xlsm' },
      { kind: 'url', value: 'http://ginkgo-post.example/get?id=7' },
      { kind: 'c2-ip', value: '192.0.2.0/28' },
    ]);
    // No pass has run: the write itself keyed its indicators and saved their feed entries.
    expect((await keysOf(collection, ids[0] as string)).map((k) => k.key)).toEqual(['ip:203.0.113.77']);
    expect((await keysOf(collection, ids[3] as string)).map((k) => k.key)).toEqual(['attachment:bonus_q4.xlsm']);
    const after = await marks(collection);
    expect(after?.indexed).toBe(after?.clock);
    const inline = await allKeys(collection);
    expect(inline.map((k) => k.split(' ').slice(1).join(' ')).sort()).toEqual([
      'attachment:bonus_q4.xlsm -',
      'email:Payroll@mail.ginkgo-post.example -', // the local part keeps its case (RFC 5321)
      'host:example.ginkgo-post -',
      'host:example.ginkgo-post.mail -',
      'ip:203.0.113.77 203.0.113.77/32',
      'net:192.0.2.0/28 192.0.2.0/28',
      'subject:quarterly bonus statement -',
      'url:http://ginkgo-post.example/get?id=7 -',
    ]);

    // The indexer, working the same versions out from the stored objects, gives the same keys.
    await db.query('DELETE FROM analysis_keys WHERE collection_id = $1', [collection]);
    await db.query('DELETE FROM feed_entries WHERE collection_id = $1', [collection]);
    await db.query('UPDATE analysis_watermarks SET indexed_through = 0 WHERE collection_id = $1', [collection]);
    await hub.analysis.indexer.catchUp();
    expect(await allKeys(collection)).toEqual(inline);
    expect((await marks(collection))?.indexed).toBe(after?.clock);
  });

  it('leaves the watermark behind a restored head until the indexer keys it; writes meanwhile are keyed all the same', async () => {
    const collection = DEMO_COLLECTIONS.initechPrivate;
    const [first] = await submit('frank', collection, [{ kind: 'c2-hostname', value: 'relay.ginkgo-post.example' }]);
    const revoked = await request(hub.app).post(`/api/collections/${collection}/indicators/${first}/revoke`).set('Authorization', demoAuth('frank')).send({ reason: 'a test' });
    expect(revoked.status).toBe(200);
    const versions = await db.query<{ modified: string }>(`SELECT object->>'modified' AS modified FROM stix_objects WHERE collection_id = $1 AND id = $2 ORDER BY version`, [collection, first]);
    const latest = versions.rows[versions.rows.length - 1]?.modified ?? '';
    const deleted = await request(hub.app)
      .delete(`/demo/collections/${collection}/objects/${first}/?match[version]=${encodeURIComponent(latest)}`)
      .set('Authorization', demoAuth('operator'))
      .set('Accept', 'application/taxii+json;version=2.1');
    expect(deleted.status).toBe(200);
    expect(await keysOf(collection, first as string)).toEqual([]); // the restored head has no keys yet
    const [later] = await submit('frank', collection, [{ kind: 'c2-hostname', value: 'cdn.ginkgo-post.example' }]);
    expect((await keysOf(collection, later as string)).map((k) => k.key)).toEqual(['host:example.ginkgo-post.cdn']);
    const held = await marks(collection);
    expect(held?.indexed).toBeLessThan(held?.clock ?? 0);

    await hub.analysis.indexer.catchUp();
    expect((await keysOf(collection, first as string)).map((k) => `${k.key} ${k.is_head}`)).toEqual(['host:example.ginkgo-post.relay true']);
    const caught = await marks(collection);
    expect(caught?.indexed).toBe(caught?.clock);
  });

  it('tells listeners every keyed version, and a batch a listener failed on again, at most MAX_ATTEMPTS times', async () => {
    const collection = DEMO_COLLECTIONS.acmeInternal;
    await hub.analysis.indexer.heard();
    let failing = 1;
    const heard: number[] = [];
    const off = hub.analysis.indexer.onIndexed((batch) => {
      if (batch.collectionId !== collection) return;
      heard.push(batch.versions.length);
      if (failing > 0) {
        failing -= 1;
        throw new Error('a listener that fails once');
      }
    });
    await submit('bob', collection, [{ kind: 'file-hash', algorithm: 'SHA-256', value: 'a3f1c2e4b5d6978812345678abcdef0123456789abcdef0123456789abcdef01' }]);
    await hub.analysis.indexer.heard();
    const stuck = await marks(collection);
    expect(stuck?.announced).toBeLessThan(stuck?.indexed ?? 0);
    await hub.analysis.indexer.heard();
    expect(heard).toEqual([1, 1]);
    const told = await marks(collection);
    expect(told?.announced).toBe(told?.indexed);

    failing = MAX_ATTEMPTS;
    await submit('bob', collection, [{ kind: 'file-hash', algorithm: 'SHA-256', value: 'b3f1c2e4b5d6978812345678abcdef0123456789abcdef0123456789abcdef02' }]);
    for (let round = 0; round < MAX_ATTEMPTS; round += 1) await hub.analysis.indexer.heard();
    off();
    expect(heard).toEqual([1, 1, ...Array.from({ length: MAX_ATTEMPTS }, () => 1)]);
    const passed = await marks(collection);
    expect(passed?.announced).toBe(passed?.indexed);
  });
});

import request from 'supertest';
import { createLogger } from '../../../../src/http/ops/logging';
import { createMetrics } from '../../../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../../../src/hub-composition';
import type { IndexedBatch } from '../../../../src/services/analysis/analysis-indexer';
import { createCampaignActivity } from '../../../../src/services/analysis/activity/campaign-activity-service';
import { versionRecords } from '../../../../src/services/delivery/delivery-channel';
import { selectForwarded } from '../../../../src/services/delivery/forwarding/taxii21-forward-content';
import { FEED_ENTRY_DERIVATION } from '../../../../src/services/feeds/feed-derivation';
import { createPolicyService } from '../../../../src/services/policy-service';
import type { Database } from '../../../../src/storage/sql/database';
import { SqlCampaignActivityStore } from '../../../../src/storage/sql/sql-campaign-activity-store';
import { SqlChangeFeedStore } from '../../../../src/storage/sql/sql-change-feed-store';
import { createSqlTenancyStore } from '../../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../../src/storage/tenancy-store';
import { demoAuth } from '../../../http/support/demo-config-hub';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../../../support/demo-config';
import { openTestDatabase, testEngines } from '../../../support/test-databases';

/**
 * Early warning's storage (migration 020) and trigger on both engines: a new indicator in one
 * collection joining members of another is announced in the members' collection, once whichever hub
 * process indexes it, to the organizations that read both; the notice goes when the indicator does;
 * later versions and inactive members announce nothing; TAXII channels pass notices over.
 */

const ACME = DEMO_COLLECTIONS.acmeInternal;
const ALLIANCE = DEMO_COLLECTIONS.allianceExchange;
const ADDRESS = '192.0.2.10';

describe.each(testEngines())('campaign activity storage on %s', (engine) => {
  let db: Database;
  let store: TenancyStore;
  let hub: ComposedHub;
  const batches: IndexedBatch[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    store = createSqlTenancyStore(db);
    const config = await applyDemoConfig(store);
    hub = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
    hub.analysis.indexer.onIndexed((batch) => {
      batches.push(batch);
    });
  });
  afterAll(async () => {
    await hub.analysis.indexer.stop();
    await db.close();
  });

  const submit = async (username: string, body: Record<string, unknown>): Promise<{ id: string; outcome: string }[]> => {
    const answer = await request(hub.app).post('/api/submissions').set('Authorization', demoAuth(username)).send({ valid_from: new Date().toISOString(), ...body });
    expect(answer.status).toBe(200);
    await hub.analysis.indexer.catchUp();
    await hub.analysis.indexer.heard();
    return (answer.body as { indicators: { id: string; outcome: string }[] }).indicators;
  };
  const notices = async () =>
    (
      await db.query<{ collection_id: string; object_id: string; tlp: string; provider_org_id: string; recipients: string[]; object: Record<string, unknown> }>(
        `SELECT collection_id, object_id, tlp, provider_org_id, recipients, object FROM collection_events WHERE operation = 'campaign-activity' ORDER BY position`,
      )
    ).rows;
  const changesOf = async (username: string, collection: string) =>
    ((await request(hub.app).get(`/api/collections/${collection}/changes`).set('Authorization', demoAuth(username))).body as { events: { operation: string; object_id: string }[] }).events;

  test('a new indicator joining another collection’s members is announced there, to those who read both, once, and goes with the indicator', async () => {
    const [sender, c2] = await submit('alice', { collection: ACME, marking: { tlp: 'green' }, indicators: [{ kind: 'email-sender-ip', value: ADDRESS }, { kind: 'c2-ip', value: ADDRESS }] });
    expect(await notices()).toEqual([]); // two indicators of one submission
    batches.length = 0;
    const [joining] = await submit('alice', { collection: ALLIANCE, marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value: ADDRESS }] });
    const written = await notices();
    // In ACME's collection only (the members are there); for ACME Holdings and ACME East, who read the
    // alliance's GREEN indicator and ACME's; not ACME West (not in the alliance) nor Globex (not in ACME's collection).
    expect(written).toEqual([
      {
        collection_id: ACME,
        object_id: joining?.id,
        tlp: 'red',
        provider_org_id: 'hub:early-warning',
        recipients: ['acme-east', 'acme-hq'],
        object: expect.objectContaining({ joins: 'candidate', members: [sender?.id, c2?.id].sort(), indicator: expect.objectContaining({ collection: ALLIANCE, provider: 'acme-hq' }) }),
      },
    ]);
    expect((await changesOf('bob', ACME)).filter((e) => e.operation === 'campaign-activity').map((e) => e.object_id)).toEqual([joining?.id]);
    expect((await changesOf('carol', ACME)).some((e) => e.operation === 'campaign-activity')).toBe(false);

    // Another hub process that indexed the same batch writes nothing more.
    const notified: string[] = [];
    const other = createCampaignActivity({ store: new SqlCampaignActivityStore(db), policy: createPolicyService({ store }), notify: (c) => notified.push(c) });
    expect(batches.map((b) => b.collectionId)).toContain(ALLIANCE);
    for (const batch of batches) await other.onIndexed(batch);
    expect(notified).toEqual([]);
    expect(await notices()).toHaveLength(1);

    // Purged, the indicator takes its notices with it, in every collection.
    const purged = await request(hub.app).post(`/api/indicators/${joining?.id}/purge`).set('Authorization', demoAuth('alice')).send({ reason: 'entered by mistake' });
    expect(purged.status).toBe(200);
    expect(await notices()).toEqual([]);
    expect((await db.query('SELECT 1 FROM campaign_activity')).rows).toEqual([]);
  });

  test('a later version announces nothing, inactive members do not count, and the window bounds the neighbours', async () => {
    const [again] = await submit('alice', { collection: ALLIANCE, marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value: ADDRESS }] });
    expect(again?.outcome).toBe('created');
    expect(await notices()).toHaveLength(1);
    // The same value again with another confidence: a new version of the same indicator, no new notice.
    const [updated] = await submit('alice', { collection: ALLIANCE, confidence: 40, marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value: ADDRESS }] });
    expect(updated).toEqual({ ...again, outcome: 'updated', version: expect.any(String) });
    expect(await notices()).toHaveLength(1);

    // Its first version, no longer the head, is no new submission any more.
    const storeOf = new SqlCampaignActivityStore(db);
    const [added] = (await db.query<{ date_added: string }>('SELECT date_added FROM stix_objects WHERE collection_id = $1 AND id = $2 ORDER BY date_added LIMIT 1', [ALLIANCE, again?.id])).rows;
    const query = { collectionId: ALLIANCE, dateAdded: [Number(added?.date_added)], nowMicros: Date.now() * 1000, derivation: FEED_ENTRY_DERIVATION, addedSince: 0, createdSince: '' };
    expect(await storeOf.neighbours({ ...query, windowMicros: 30 * 86_400_000_000 })).toEqual([]);

    // ACME's two indicators revoked: Globex's new one has one active neighbour only (below three), nothing.
    for (const row of (await db.query<{ id: string }>(`SELECT id FROM stix_objects WHERE collection_id = $1 AND is_head AND type = 'indicator'`, [ACME])).rows) {
      expect((await request(hub.app).post(`/api/collections/${ACME}/indicators/${row.id}/revoke`).set('Authorization', demoAuth('alice')).send({ reason: 'a test' })).status).toBe(200);
    }
    const [globex] = await submit('dave', { collection: ALLIANCE, marking: { tlp: 'green' }, indicators: [{ kind: 'email-sender-ip', value: ADDRESS }] });
    expect(await notices()).toHaveLength(1);
    const [globexAdded] = (await db.query<{ date_added: string }>('SELECT date_added FROM stix_objects WHERE collection_id = $1 AND id = $2', [ALLIANCE, globex?.id])).rows;
    const found = await storeOf.neighbours({ ...query, dateAdded: [Number(globexAdded?.date_added)], windowMicros: 30 * 86_400_000_000 });
    expect(found.map((f) => f.neighbours.map((n) => n.id))).toEqual([[again?.id]]);
    expect(found[0]?.indicator.values).toEqual([{ kind: 'email-sender-ip', value: ADDRESS }]);
    // The window: with none, the neighbour added before is out of it.
    expect((await storeOf.neighbours({ ...query, dateAdded: [Number(globexAdded?.date_added)], windowMicros: 0 })).map((f) => f.neighbours)).toEqual([[]]);

    // Intelligence imported with its old dates (TAXII 2.1, created a year ago) is history, not news:
    // it would make three active indicators with the two above, yet announces nothing.
    const old = {
      type: 'indicator', spec_version: '2.1', id: 'indicator--3f0c1a52-6d1e-4c9b-9a57-2b8e4d1f7c60', created: '2025-12-01T00:00:00.000Z', modified: '2025-12-01T00:00:00.000Z',
      pattern: `[ipv4-addr:value = '${ADDRESS}']`, pattern_type: 'stix', valid_from: '2025-12-01T00:00:00Z',
    };
    const posted = await request(hub.app)
      .post(`/demo/collections/${ALLIANCE}/objects/`)
      .set('Authorization', demoAuth('alice'))
      .set('Content-Type', 'application/taxii+json;version=2.1')
      .set('Accept', 'application/taxii+json;version=2.1')
      .send(JSON.stringify({ objects: [old] }));
    expect([200, 202]).toContain(posted.status);
    await hub.analysis.indexer.catchUp();
    await hub.analysis.indexer.heard();
    expect(await notices()).toHaveLength(1);
    const [oldAdded] = (await db.query<{ date_added: string }>('SELECT date_added FROM stix_objects WHERE collection_id = $1 AND id = $2', [ALLIANCE, old.id])).rows;
    const asOld = { ...query, dateAdded: [Number(oldAdded?.date_added)], windowMicros: 30 * 86_400_000_000 };
    expect((await storeOf.neighbours(asOld)).map((f) => f.neighbours.length)).toEqual([2]); // with no recency bound it would join
    expect(await storeOf.neighbours({ ...asOld, createdSince: new Date(Date.now() - 3_600_000).toISOString() })).toEqual([]);
  });

  test('the thresholds are hub.analysis.campaign_candidates: two indicators from two submissions make a candidate when min_indicators is 2', async () => {
    const other = await openTestDatabase(engine);
    try {
      const otherStore = createSqlTenancyStore(other);
      const config = await applyDemoConfig(otherStore);
      const small = composeHub({ db: other, store: otherStore, hub: { ...config.hub, campaignCandidates: { minIndicators: 2 } }, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
      const post = async (username: string, value: string) => {
        const answer = await request(small.app).post('/api/submissions').set('Authorization', demoAuth(username)).send({ collection: ACME, valid_from: new Date().toISOString(), marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value }] });
        expect(answer.status).toBe(200);
        await small.analysis.indexer.catchUp();
    await small.analysis.indexer.heard();
        return (answer.body as { indicators: { id: string }[] }).indicators[0]?.id;
      };
      const first = await post('alice', '192.0.2.44');
      const second = await post('bob', '192.0.2.44');
      const { rows } = await other.query<{ object_id: string; object: { members: string[]; size: unknown } }>(`SELECT object_id, object FROM collection_events WHERE operation = 'campaign-activity'`);
      expect(rows.map((r) => [r.object_id, r.object.members, r.object.size])).toEqual([[second, [first], { indicators: 2, submissions: 2 }]]);
      await small.analysis.indexer.stop();
    } finally {
      await other.close();
    }
  });

  test('a notice in the indicator’s own collection goes with it too, whether a purge or a TAXII DELETE removes it', async () => {
    const before = (await notices()).length;
    const value = '192.0.2.77';
    await submit('alice', { collection: ACME, marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value }] });
    await submit('bob', { collection: ACME, marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value }] });
    const [third] = await submit('alice', { collection: ACME, marking: { tlp: 'green' }, indicators: [{ kind: 'email-sender-ip', value }] });
    const [fourth] = await submit('bob', { collection: ACME, marking: { tlp: 'green' }, indicators: [{ kind: 'email-sender-ip', value }] });
    expect((await notices()).slice(before).map((n) => [n.collection_id, n.object_id])).toEqual([
      [ACME, third?.id],
      [ACME, fourth?.id],
    ]);
    expect((await request(hub.app).post(`/api/indicators/${third?.id}/purge`).set('Authorization', demoAuth('alice')).send({ reason: 'a test' })).status).toBe(200);
    const deleted = await request(hub.app)
      .delete(`/demo/collections/${ACME}/objects/${fourth?.id}/`)
      .set('Authorization', demoAuth('bob'))
      .set('Accept', 'application/taxii+json;version=2.1');
    expect(deleted.status).toBe(200);
    expect((await notices()).slice(before)).toEqual([]);
    expect((await db.query('SELECT 1 FROM campaign_activity a JOIN collection_events e USING (collection_id, position)')).rows).toHaveLength(before);
  });

  test('a candidate reached through a neighbour’s neighbour is announced, with that member', async () => {
    const before = (await notices()).length;
    // A (TAXII 2.1, one indicator for an address and a host) links B (a C2 host) to the new C2 address.
    const a = {
      type: 'indicator', spec_version: '2.1', id: 'indicator--6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', created: '2026-12-01T00:00:00.000Z', modified: '2026-12-01T00:00:00.000Z',
      pattern: "[ipv4-addr:value = '192.0.2.99'] OR [domain-name:value = 'relay-chain.example']", pattern_type: 'stix', valid_from: '2026-12-01T00:00:00Z',
    };
    const posted = await request(hub.app)
      .post(`/demo/collections/${ACME}/objects/`)
      .set('Authorization', demoAuth('alice'))
      .set('Content-Type', 'application/taxii+json;version=2.1')
      .set('Accept', 'application/taxii+json;version=2.1')
      .send(JSON.stringify({ objects: [a] }));
    expect([200, 202]).toContain(posted.status);
    const [b] = await submit('bob', { collection: ACME, marking: { tlp: 'green' }, indicators: [{ kind: 'c2-hostname', value: 'relay-chain.example' }] });
    expect((await notices()).length).toBe(before); // two indicators
    const [joining] = await submit('alice', { collection: ACME, marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value: '192.0.2.99' }] });
    const written = (await notices()).slice(before);
    expect(written.map((n) => [n.object_id, n.object.members, n.object.size, n.object.shared])).toEqual([
      [joining?.id, [a.id, b?.id].sort(), { indicators: 3, submissions: 3 }, [{ kind: 'c2-ip', value: '192.0.2.99' }]],
    ]);
    expect(written[0]?.recipients).toContain('acme-hq');
  });

  test('TAXII 1.1 pushes and TAXII 2.1 forwards pass a notice over (counted as skipped)', async () => {
    const page = await new SqlChangeFeedStore(db).events({ collectionId: ACME, scope: { kind: 'all' } }, 1000);
    const notice = page.events.filter((e) => e.operation === 'campaign-activity');
    expect(notice.length).toBeGreaterThan(0);
    expect(versionRecords(notice)).toEqual([]); // the push renders records only
    expect(selectForwarded(notice, {})).toEqual({ objects: [], skipped: notice.length });
    const forwarded = selectForwarded(page.events, {});
    expect(forwarded.objects.some((o) => o.type === 'campaign-activity' || (o as { joins?: unknown }).joins !== undefined)).toBe(false);
  });
});

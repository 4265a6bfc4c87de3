import request from 'supertest';
import type { Principal } from '../../../../src/domain/principal';
import { createLogger } from '../../../../src/http/ops/logging';
import { createMetrics } from '../../../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../../../src/hub-composition';
import type { ChangeEvent } from '../../../../src/storage/change-feed-store';
import type { Database } from '../../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../../src/storage/sql/sql-tenancy-store';
import { DEMO_COLLECTIONS, applyDemoConfig } from '../../../support/demo-config';
import { indicator } from '../../../support/stix-fixtures';
import { openTestDatabase, testEngines } from '../../../support/test-databases';
import { demoAuth } from '../../../http/support/demo-config-hub';
import { TAXII } from '../../../http/taxii21/objects-fixture';

/**
 * The change feed as composeHub wires it: every way a change reaches a collection over HTTP (a
 * submission, a lifecycle transition, a TAXII 2.1 DELETE, a purge) and the expiry pass tell the
 * change notifier and leave their event in the feed that changeFeed serves.
 */

const ACME = DEMO_COLLECTIONS.acmeInternal;
/** alice of acme-hq, the head office: reads what its branches provide. */
const alice: Principal = { userId: 'alice', username: 'alice', organizationId: 'acme-hq', roles: new Set(['consumer']), via: 'basic' };

describe.each(testEngines())('the composed change feed on %s', (engine) => {
  let db: Database;
  let hub: ComposedHub;
  const heard: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    const config = await applyDemoConfig(store);
    hub = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
    hub.changes.subscribe((collectionId) => heard.push(collectionId));
  });
  afterAll(() => db.close());

  const api = (path: string, username: string, body: unknown) =>
    request(hub.app).post(`/api${path}`).set('Authorization', demoAuth(username)).set('Content-Type', 'application/json').send(JSON.stringify(body));

  /** Runs `change`, then what alice reads after `cursor`; expects the collection to have been notified. */
  async function afterChange(cursor: string, change: () => Promise<unknown>): Promise<{ events: readonly ChangeEvent[]; cursor: string }> {
    heard.length = 0;
    await change();
    expect(heard).toContain(ACME);
    const read = await hub.changeFeed.read(alice, ACME, cursor, 100);
    return { events: read.events, cursor: read.cursor };
  }

  test('submission, benign, TAXII DELETE, purge and expiry each notify and reach the feed', async () => {
    let cursor = await hub.changeFeed.currentCursor(alice, ACME);
    let id = '';
    const submitted = await afterChange(cursor, async () => {
      const res = await api('/submissions', 'bob', { collection: ACME, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value: `c2-${engine}.example` }] });
      expect(res.status).toBe(200);
      id = (res.body as { indicators: { id: string }[] }).indicators[0]?.id as string;
    });
    expect(submitted.events.filter((e) => e.objectId === id).map((e) => e.operation)).toEqual(['created']);
    cursor = submitted.cursor;

    const benign = await afterChange(cursor, () => api(`/collections/${ACME}/indicators/${id}/benign`, 'bob', { reason: 'sinkholed' }).expect(200));
    expect(benign.events.map((e) => [e.objectId, e.operation])).toEqual([[id, 'benign']]);
    cursor = benign.cursor;

    const deleted = await afterChange(cursor, () =>
      request(hub.app).delete(`/demo/collections/${ACME}/objects/${id}/`).set('Authorization', demoAuth('bob')).set('Accept', TAXII).expect(200),
    );
    expect(deleted.events.map((e) => [e.objectId, e.operation])).toEqual([[id, 'deleted']]);
    cursor = deleted.cursor;

    const posted = indicator({ valid_until: '2026-01-03T00:00:00Z' }); // already expired
    const added = await afterChange(cursor, () =>
      request(hub.app).post(`/demo/collections/${ACME}/objects/`).set('Authorization', demoAuth('alice')).set('Accept', TAXII).set('Content-Type', TAXII).send(JSON.stringify({ objects: [posted] })).expect(202),
    );
    expect(added.events.map((e) => [e.objectId, e.operation])).toEqual([[posted.id, 'created']]);
    const expired = await afterChange(added.cursor, () => hub.expiry.runNow());
    expect(expired.events.map((e) => [e.objectId, e.operation])).toEqual([[posted.id, 'expired']]);

    const purged = await afterChange(expired.cursor, () => api(`/indicators/${String(posted.id)}/purge`, 'alice', { reason: 'shared by mistake' }).expect(200));
    expect(purged.events.map((e) => [e.objectId, e.operation])).toEqual([[posted.id, 'purged']]);
  });
});

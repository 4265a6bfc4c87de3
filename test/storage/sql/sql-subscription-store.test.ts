import { randomUUID } from 'node:crypto';
import type { Database } from '../../../src/storage/sql/database';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { SqlSubscriptionStore } from '../../../src/storage/sql/sql-subscription-store';
import type { NewSubscription } from '../../../src/storage/subscription-store';
import { testEngines } from '../../support/test-databases';
import { appendIndicator, openSeededDatabase } from './delivery-store-seed';

const T0 = 1_700_000_000_000_000;
const AT = new Date('2026-01-01T00:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);
const COLLECTION = randomUUID();
const USER = randomUUID();

function pushSubscription(overrides: Partial<NewSubscription> = {}): NewSubscription {
  return {
    id: randomUUID(),
    collectionId: COLLECTION,
    collectionName: 'regional',
    organizationId: 'east',
    userId: USER,
    channel: 'taxii11-push',
    responseType: 'FULL',
    contentBindings: [{ bindingId: 'urn:stix.mitre.org:xml:1.2', subtypes: [] }],
    push: { protocolBinding: 'urn:taxii.mitre.org:protocol:http:1.0', address: 'http://127.0.0.1:9/inbox', messageBinding: 'urn:taxii.mitre.org:message:xml:1.1' },
    cursor: 0,
    createdAt: AT,
    ...overrides,
  };
}

describe.each(testEngines())('the subscription store on %s', (engine) => {
  let db: Database;
  let store: SqlSubscriptionStore;
  let objects: SqlObjectStore;

  beforeAll(async () => {
    db = await openSeededDatabase(engine, COLLECTION);
    store = new SqlSubscriptionStore(db);
    objects = new SqlObjectStore(db);
  });
  afterAll(() => db.close());

  const addRecord = (): Promise<number> => appendIndicator(objects, COLLECTION, T0);

  test('an identical subscription by the same user is the existing one; another organization never finds it', async () => {
    const first = await store.insert(pushSubscription());
    expect(first.kind).toBe('created');
    const again = await store.insert(pushSubscription({ id: randomUUID() }));
    expect(again).toEqual({ kind: 'existing', subscription: first.subscription });
    const other = await store.insert(pushSubscription({ responseType: 'COUNT_ONLY', createdAt: later(1) }));
    expect(other.kind).toBe('created');

    expect(await store.get('east', first.subscription.id)).toEqual(first.subscription);
    expect(await store.get('west', first.subscription.id)).toBeUndefined();
    expect(await store.get('east', 'not-a-uuid')).toBeUndefined();
    expect(await store.delete('west', first.subscription.id)).toBe(false);
    expect(await store.setStatus('west', first.subscription.id, 'PAUSED', AT)).toBe(false);
    expect((await store.list({ organizationId: 'west', collectionId: COLLECTION })).map((s) => s.id)).toEqual([]);
    expect((await store.list({ organizationId: 'east', collectionId: COLLECTION })).map((s) => s.id)).toEqual([first.subscription.id, other.subscription.id]);

    expect(await store.delete('east', first.subscription.id)).toBe(true);
    expect(await store.delete('east', other.subscription.id)).toBe(true);
  });

  test('a push subscription is claimed when its collection holds records after its cursor, by one claimer at a time', async () => {
    const label = await addRecord();
    const behind = (await store.insert(pushSubscription({ cursor: label - 1 }))).subscription;
    const current = (await store.insert(pushSubscription({ cursor: label, userId: randomUUID() }))).subscription;
    const poll = (await store.insert(pushSubscription({ channel: 'taxii11-poll', push: undefined, cursor: 0 }))).subscription;

    const request = { owner: 'a', now: AT, leaseMs: 30_000, limit: 10, channels: ['taxii11-push'] as const };
    const claimed = await store.claimDue(request);
    expect(claimed.map((c) => c.subscription.id)).toEqual([behind.id]);
    expect(claimed[0]?.collectionEnd).toBe(label);
    expect(await store.claimDue({ ...request, owner: 'b' })).toEqual([]);
    // The lease a dead claimer left expires.
    expect((await store.claimDue({ ...request, owner: 'b', now: later(30_001) })).map((c) => c.subscription.id)).toEqual([behind.id]);

    // Only the holder records an outcome; the cursor never moves back.
    await store.recordSuccess(behind.id, 'a', { cursor: label, deliveredRecords: 1, at: later(1), sent: true });
    expect((await store.get('east', behind.id))?.cursor).toBe(label - 1);
    await store.recordSuccess(behind.id, 'b', { cursor: label, deliveredRecords: 1, at: later(30_002), sent: true });
    const done = await store.get('east', behind.id);
    expect(done?.cursor).toBe(label);
    expect(done?.delivery).toMatchObject({ deliveredRecords: 1, consecutiveFailures: 0, lastSuccessAt: later(30_002) });
    expect(await store.claimDue({ ...request, now: later(60_000) })).toEqual([]);
    for (const s of [behind, current, poll]) await store.delete('east', s.id);
  });

  test('leases left by a gone process are released on the embedded store only (PostgreSQL is shared by live processes)', async () => {
    const label = await addRecord();
    const s = (await store.insert(pushSubscription({ cursor: label - 1 }))).subscription;
    const request = { now: AT, leaseMs: 60_000, limit: 10, channels: ['taxii11-push'] as const, collectionId: COLLECTION };
    expect(await store.claimDue({ ...request, owner: 'host:111:a' })).toHaveLength(1);
    expect(await store.releaseOrphanedLeases('host:111:')).toBe(0); // its own process's
    expect(await store.releaseOrphanedLeases('host:222:')).toBe(engine === 'pglite' ? 1 : 0);
    expect(await store.claimDue({ ...request, owner: 'host:222:b' })).toHaveLength(engine === 'pglite' ? 1 : 0);
    await store.delete('east', s.id);
  });

  test('a failure keeps the cursor and defers the next attempt; a paused subscription is not claimed until resumed', async () => {
    const label = await addRecord();
    const s = (await store.insert(pushSubscription({ cursor: label - 1 }))).subscription;
    const request = { owner: 'a', now: AT, leaseMs: 30_000, limit: 10, channels: ['taxii11-push'] as const, collectionId: COLLECTION };
    expect(await store.claimDue(request)).toHaveLength(1);
    await store.recordFailure(s.id, 'a', { error: 'HTTP 500', at: later(1), nextAttemptAt: later(2_000) });
    const failed = await store.get('east', s.id);
    expect(failed).toMatchObject({ cursor: label - 1, delivery: { consecutiveFailures: 1, lastError: 'HTTP 500', lastErrorAt: later(1), nextAttemptAt: later(2_000) } });
    expect(await store.claimDue({ ...request, now: later(1_999) })).toEqual([]);
    expect(await store.pendingCount()).toBe(1);

    expect(await store.setStatus('east', s.id, 'PAUSED', later(2_000))).toBe(true);
    expect(await store.claimDue({ ...request, now: later(5_000) })).toEqual([]);
    expect(await store.setStatus('east', s.id, 'ACTIVE', later(5_000))).toBe(true);
    expect((await store.claimDue({ ...request, now: later(5_000) })).map((c) => c.subscription.id)).toEqual([s.id]);
    await store.suspend(s.id, 'a', 'the user no longer exists', later(5_001));
    expect(await store.get('east', s.id)).toMatchObject({ status: 'PAUSED', delivery: { lastError: 'the user no longer exists' } });
    await store.delete('east', s.id);
  });
});

import { randomUUID } from 'node:crypto';
import type { Database } from '../../../src/storage/sql/database';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { SqlSubscriptionStore } from '../../../src/storage/sql/sql-subscription-store';
import { SqlWebhookStore, TRIM_EVERY } from '../../../src/storage/sql/sql-webhook-store';
import type { NewSubscription } from '../../../src/storage/subscription-store';
import type { NewAttempt, NewWebhook } from '../../../src/storage/webhook-store';
import { testEngines } from '../../support/test-databases';
import { appendIndicator, openSeededDatabase } from './delivery-store-seed';

const AT = new Date('2026-01-01T00:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);
const COLLECTION = randomUUID();
const USER = randomUUID();
const T0 = 1_700_000_000_000_000;

const subscription = (organizationId = 'east'): NewSubscription => ({
  id: randomUUID(), collectionId: COLLECTION, collectionName: 'regional', organizationId, userId: USER, channel: 'webhook', responseType: 'FULL', contentBindings: [], cursor: 0, createdAt: AT,
});
const webhook: NewWebhook = { url: 'https://hooks.example/in', filter: { kinds: ['c2-ip'], operations: ['created', 'revoked'], minConfidence: 50 }, retryWindowMs: 86_400_000, sealedSecret: 'sealed-1', createdBy: 'east-admin' };
const attempt = (webhookId: string, at: Date, over: Partial<NewAttempt> = {}): NewAttempt => ({
  webhookId, deliveryId: randomUUID(), at, outcome: 'failed', statusCode: 500, latencyMs: 12, error: 'the receiver answered HTTP 500', events: 3, afterPosition: 10, throughPosition: 20, ...over,
});

describe.each(testEngines())('the webhook store on %s', (engine) => {
  let db: Database;
  let store: SqlWebhookStore;
  let subscriptions: SqlSubscriptionStore;

  beforeAll(async () => {
    db = await openSeededDatabase(engine, COLLECTION);
    store = new SqlWebhookStore(db);
    subscriptions = new SqlSubscriptionStore(db);
  });
  afterAll(() => db.close());

  test('a webhook is a subscription of channel webhook; two webhooks of one user on one collection are two; another organization never finds one', async () => {
    const a = await store.create(subscription(), webhook);
    const b = await store.create(subscription(), { ...webhook, url: 'https://hooks.example/other' });
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({ organizationId: 'east', url: 'https://hooks.example/in', filter: { kinds: ['c2-ip'], operations: ['created', 'revoked'], minConfidence: 50 }, failingSince: null });
    expect((await subscriptions.get('east', a.id))?.channel).toBe('webhook');
    expect(await store.get('west', a.id)).toBeUndefined();
    expect(await store.get('east', 'not-a-uuid')).toBeUndefined();
    expect((await store.get(undefined, a.id))?.id).toBe(a.id);
    expect((await store.list('east')).map((w) => w.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await store.list('west')).toEqual([]);
    // Removing the subscription removes the webhook with it.
    expect(await subscriptions.delete('east', b.id)).toBe(true);
    expect(await store.get(undefined, b.id)).toBeUndefined();
  });

  test('the engine claims a due webhook like any pushing channel', async () => {
    const objects = new SqlObjectStore(db);
    const w = await store.create(subscription(), webhook);
    await appendIndicator(objects, COLLECTION, T0);
    const claims = await subscriptions.claimDue({ owner: 'test', now: new Date(), leaseMs: 60_000, limit: 100, channels: ['webhook'] });
    expect(claims.map((c) => c.subscription.id)).toContain(w.id);
    expect(await subscriptions.pendingCount()).toBeGreaterThan(0);
  });

  test('rotation keeps the previous secret until it retires; failing_since keeps the first failure', async () => {
    const w = await store.create(subscription(), webhook);
    expect(await store.rotateSecret(w.id, 'sealed-2', later(1_000))).toBe(true);
    expect(await store.get('east', w.id)).toMatchObject({ sealedSecret: 'sealed-2', previous: { sealedSecret: 'sealed-1', retiresAt: later(1_000) } });
    expect(await store.retirePreviousSecret(w.id)).toBe(true);
    expect((await store.get('east', w.id))?.previous).toBeUndefined();
    await store.markFailing(w.id, later(5));
    await store.markFailing(w.id, later(9));
    expect((await store.get('east', w.id))?.failingSince).toEqual(later(5));
    await store.clearFailing(w.id);
    expect((await store.get('east', w.id))?.failingSince).toBeNull();
  });

  test('the attempts log stays bounded: the newest attempts within the retention, newest first', async () => {
    const w = await store.create(subscription(), webhook);
    const retention = { keep: 3, maxAgeMs: 60_000 };
    // One by one, and in a batch: the log keeps the order.
    for (let i = 0; i < TRIM_EVERY; i++) await store.recordAttempts([attempt(w.id, later(i * 1_000), { events: i })], retention);
    await store.recordAttempts(Array.from({ length: TRIM_EVERY }, (_, k) => attempt(w.id, later((TRIM_EVERY + k) * 1_000), { events: TRIM_EVERY + k })), retention);
    const kept = await store.attempts(w.id, 1_000);
    expect(kept.length).toBeGreaterThanOrEqual(retention.keep);
    expect(kept.length).toBeLessThanOrEqual(retention.keep + TRIM_EVERY);
    expect(kept.map((a) => a.events)).toEqual(Array.from({ length: kept.length }, (_, k) => 2 * TRIM_EVERY - 1 - k));
    // Attempts far later: the next trim drops every one older than the age limit.
    for (let i = 0; i < TRIM_EVERY; i++) await store.recordAttempts([attempt(w.id, later(600_000 + i), { outcome: 'delivered', statusCode: 204, error: undefined, events: 1_000 + i })], retention);
    const later_ = await store.attempts(w.id, 1_000);
    expect(later_.every((a) => a.events >= 1_000)).toBe(true);
    expect(later_[0]).toMatchObject({ outcome: 'delivered', statusCode: 204, events: 1_000 + TRIM_EVERY - 1, afterPosition: 10, throughPosition: 20 });
    expect(later_[0]?.error).toBeUndefined();
  });

  test('a dead letter keeps its range and error and ends the failing window; a replay is marked', async () => {
    const w = await store.create(subscription(), webhook);
    await store.markFailing(w.id, AT);
    const id = randomUUID();
    await store.deadLetter({ id, webhookId: w.id, afterPosition: 100, throughPosition: 200, events: 7, error: 'the receiver answered HTTP 500', deadAt: later(1) });
    expect((await store.get('east', w.id))?.failingSince).toBeNull();
    expect(await store.deadLetters(w.id)).toEqual([{ id, webhookId: w.id, afterPosition: 100, throughPosition: 200, events: 7, error: 'the receiver answered HTTP 500', deadAt: later(1), replayedAt: null }]);
    expect(await store.getDeadLetter(w.id, 'nope')).toBeUndefined();
    await store.markReplayed(id, later(2));
    expect((await store.getDeadLetter(w.id, id))?.replayedAt).toEqual(later(2));
  });
});

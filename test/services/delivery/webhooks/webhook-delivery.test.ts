import { COLLECTION_ID, COLLECTION_NAME } from '../support/delivery-world';
import { testEngines } from '../../../support/test-databases';
import { startWebhookReceiver, verifySignature, type Answer, type WebhookReceiver } from './support/webhook-receiver';
import { openWebhookWorld, type WebhookWorld } from './support/webhook-world';

/**
 * Webhooks on the delivery engine against a loopback receiver that verifies signatures as a consumer
 * would: what arrives, in which order, signed how; retries after a 500 and after a timeout; dead
 * letters after the retry window and their replay; the attempts log.
 */

describe.each(testEngines())('webhooks delivered on %s', (engineName) => {
  let world: WebhookWorld;
  const receivers: WebhookReceiver[] = [];

  beforeEach(async () => {
    world = await openWebhookWorld(engineName, { totalTimeoutMs: 800 });
  });
  afterEach(async () => {
    await world.close();
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  async function receiverFor(respond?: (index: number) => Answer, body: Record<string, unknown> = {}): Promise<{ receiver: WebhookReceiver; id: string }> {
    const receiver = await startWebhookReceiver(respond ? (_r, i) => respond(i) : undefined);
    receivers.push(receiver);
    const created = await world.service.register(world.users.eastAdmin, { collection: COLLECTION_NAME, url: receiver.url, ...body });
    receiver.secrets = [created.secret];
    return { receiver, id: created.webhook.id };
  }

  test('every event arrives once, in position order, signed, with the object as stored and a stable event id', async () => {
    const { receiver, id } = await receiverFor();
    world.engine();
    const added = [];
    for (let i = 0; i < 5; i++) added.push(await world.addIndicator({ confidence: 80 }));
    await receiver.until(() => receiver.acceptedEvents().length >= 5, 15_000, 'five events');
    const events = receiver.acceptedEvents();
    expect(events.map((e) => e.object_id)).toEqual(added.map((a) => a.id));
    expect(events.map((e) => e.position)).toEqual(added.map((a) => a.position));
    expect(events.map((e) => e.id)).toEqual(added.map((a) => `${COLLECTION_ID}:${a.position}:${a.id}`));
    expect(events.every((e) => e.operation === 'created' && e.type === 'indicator' && e.object?.confidence === 80)).toBe(true);
    for (const request of receiver.received) {
      expect(request.verifiedWith).toBe(receiver.secrets[0]);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-hub-webhook-id']).toBe(id);
      expect(request.payload).toMatchObject({ webhook: id, collection: COLLECTION_ID });
    }
    const deliveryIds = receiver.received.map((r) => r.headers['x-hub-delivery-id']);
    expect(new Set(deliveryIds).size).toBe(deliveryIds.length);
    // A body altered on the way, or another secret, does not verify.
    const [first] = receiver.received;
    expect(verifySignature(String(first?.headers['x-hub-signature']), `${first?.body} `, receiver.secrets)).toBeUndefined();
    expect(verifySignature(String(first?.headers['x-hub-signature']), first?.body ?? '', ['0'.repeat(64)])).toBeUndefined();
  });

  test('a 500 is retried with backoff until the receiver takes the batch; nothing is lost and every attempt is logged', async () => {
    const { receiver, id } = await receiverFor((i) => (i < 2 ? 'http-500' : 'ok'));
    world.engine();
    const added = [await world.addIndicator(), await world.addIndicator()];
    await receiver.until(() => receiver.acceptedEvents().length >= 2, 15_000, 'the batch after two failures');
    expect(receiver.received.map((r) => r.answer).slice(0, 3)).toEqual(['http-500', 'http-500', 'ok']);
    expect(new Set(receiver.acceptedEvents().map((e) => e.object_id))).toEqual(new Set(added.map((a) => a.id)));
    await world.engine().idle();
    const attempts = await world.service.attempts(world.users.eastAdmin, id, 10);
    const oldestFirst = [...attempts].reverse();
    expect(oldestFirst.slice(0, 3).map((a) => [a.outcome, a.statusCode ?? null])).toEqual([['failed', 500], ['failed', 500], ['delivered', 204]]);
    expect(oldestFirst[0]?.error).toBe('the receiver answered HTTP 500');
    expect(oldestFirst.every((a) => a.latencyMs >= 0 && a.events >= 1)).toBe(true);
    expect((await world.service.get(world.users.eastAdmin, id)).webhook.failingSince).toBeNull();
  });

  test('a receiver that does not answer in time is retried; the batch arrives after the timeout', async () => {
    const { receiver, id } = await receiverFor((i) => (i === 0 ? 'hang' : 'ok'));
    world.engine();
    const added = await world.addIndicator();
    await receiver.until(() => receiver.acceptedEvents().some((e) => e.object_id === added.id), 15_000, 'the event after a timeout');
    await world.engine().idle();
    const oldestFirst = [...(await world.service.attempts(world.users.eastAdmin, id, 10))].reverse();
    expect(oldestFirst[0]).toMatchObject({ outcome: 'failed' });
    expect(oldestFirst[0]?.error).toMatch(/^not delivered: /);
    expect(oldestFirst.at(-1)?.outcome).toBe('delivered');
  });

  test('a batch still failing after the retry window is dead-lettered, the cursor moves on, and a replay delivers it', async () => {
    let broken = true;
    const { receiver, id } = await receiverFor(() => (broken ? 'http-500' : 'ok'));
    world.engine();
    const dead = await world.addIndicator();
    await receiver.until(() => receiver.received.length >= 2, 15_000, 'two failed attempts');
    world.clock.shiftMs = 25 * 60 * 60 * 1000; // a day and an hour later
    const engine = world.engine();
    const letters = async () => world.service.deadLetters(world.users.eastAdmin, id);
    await waitFor(async () => (await letters()).length === 1, 'the dead letter');
    const [letter] = await letters();
    expect(letter).toMatchObject({ events: 1, error: 'the receiver answered HTTP 500', replayedAt: null });
    expect(letter?.throughPosition).toBeGreaterThanOrEqual(dead.position);
    world.clock.shiftMs = 0; // back to now: receivers refuse signatures whose timestamp is far off
    broken = false;
    const next = await world.addIndicator();
    await receiver.until(() => receiver.acceptedEvents().some((e) => e.object_id === next.id), 15_000, 'the next event after the dead letter');
    expect(receiver.acceptedEvents().some((e) => e.object_id === dead.id)).toBe(false);
    await engine.idle();

    const replay = await world.service.replay(world.users.eastAdmin, id, letter?.id ?? '');
    expect(replay).toEqual({ replayed: true, events: 1, requests: 1 });
    const replayed = receiver.accepted().at(-1);
    expect(replayed?.payload.events.map((e) => e.object_id)).toEqual([dead.id]);
    expect(replayed?.verifiedWith).toBe(receiver.secrets[0]);
    expect((await letters())[0]?.replayedAt).not.toBeNull();
    const [lastAttempt] = await world.service.attempts(world.users.eastAdmin, id, 1);
    expect(lastAttempt).toMatchObject({ outcome: 'delivered', replayOf: letter?.id });
  });

  test('kind, operation and confidence filters choose the events sent; filtered events still move the cursor', async () => {
    const { receiver, id } = await receiverFor(undefined, { kinds: ['c2-hostname'], operations: ['created', 'revoked'], minConfidence: 60 });
    world.engine();
    await world.addIndicator({ kind: 'c2-ip', confidence: 90 }); // another kind
    await world.addIndicator({ kind: 'c2-hostname', confidence: 10 }); // too little confidence
    const wanted = await world.addIndicator({ kind: 'c2-hostname', confidence: 90 });
    await world.addIndicator({ id: wanted.id, kind: 'c2-hostname', confidence: 95, version: 10 }); // updated: not asked for
    const revoked = await world.addIndicator({ id: wanted.id, kind: 'c2-hostname', confidence: 95, version: 20, revoked: true });
    await receiver.until(() => receiver.acceptedEvents().length >= 2, 15_000, 'the two matching events');
    await world.engine().idle();
    expect(receiver.acceptedEvents().map((e) => [e.operation, e.position])).toEqual([['created', wanted.position], ['revoked', revoked.position]]);
    const { subscription } = await world.service.get(world.users.eastAdmin, id);
    expect(subscription.cursor).toBeGreaterThanOrEqual(revoked.position);
  });

  test("an address the organization's allow-list no longer covers is refused and logged, and delivered once the list covers it again", async () => {
    const { receiver, id } = await receiverFor();
    world.engine({ directoryCacheMs: 0 });
    const east = await world.tenancy.organizations.get('east');
    if (!east) throw new Error('no organization east');
    await world.tenancy.organizations.update({ ...east, deliveryAllowList: [] });
    const added = await world.addIndicator();
    const attempts = () => world.service.attempts(world.users.eastAdmin, id, 10);
    await waitFor(async () => (await attempts()).some((a) => a.outcome === 'refused'), 'a refused attempt');
    const [refused] = await attempts();
    expect(refused).toMatchObject({ outcome: 'refused', events: 1 });
    expect(refused?.statusCode).toBeUndefined();
    expect(refused?.error).toBe("not sent: host '127.0.0.1' is not on the organization's delivery allow-list");
    expect(receiver.received).toEqual([]);

    await world.tenancy.organizations.update({ ...east, deliveryAllowList: ['127.0.0.1/32'] });
    await receiver.until(() => receiver.acceptedEvents().some((e) => e.object_id === added.id), 15_000, 'the event once the list covers the receiver');
  });

  test('after a rotation both secrets sign until the old one is retired', async () => {
    const { receiver, id } = await receiverFor();
    world.engine();
    const old = receiver.secrets[0] ?? '';
    const rotated = await world.service.rotateSecret(world.users.eastAdmin, id);
    receiver.secrets = [old];
    await world.addIndicator();
    await receiver.until(() => receiver.received.length >= 1, 15_000, 'a request signed during the overlap');
    expect(receiver.received[0]?.verifiedWith).toBe(old);
    expect(verifySignature(String(receiver.received[0]?.headers['x-hub-signature']), receiver.received[0]?.body ?? '', [rotated.secret])).toBe(rotated.secret);
    expect(String(receiver.received[0]?.headers['x-hub-signature']).match(/v1=/g)).toHaveLength(2);

    await world.service.retirePreviousSecret(world.users.eastAdmin, id);
    await world.addIndicator();
    await receiver.until(() => receiver.received.length >= 2, 15_000, 'a request after the retirement');
    const header = String(receiver.received[1]?.headers['x-hub-signature']);
    expect(header.match(/v1=/g)).toHaveLength(1);
    expect(verifySignature(header, receiver.received[1]?.body ?? '', [old])).toBeUndefined();
    expect(verifySignature(header, receiver.received[1]?.body ?? '', [rotated.secret])).toBe(rotated.secret);
  });
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 25)); // re-check the condition, not a timed expectation
  }
}

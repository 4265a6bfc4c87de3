import { testEngines } from '../../support/test-databases';
import { labelText, startReceiver, type LoopbackReceiver } from './support/loopback-receiver';
import { COLLECTION_NAME, fullParameters, openDeliveryWorld, pushParameters, type DeliveryWorld } from './support/delivery-world';

/**
 * Two engines (what two hub processes run) over one database — on PostgreSQL each claim runs on its
 * own pooled connection, concurrently: claims are leases taken with FOR UPDATE SKIP LOCKED, so a
 * subscription is never pushed by both at once, and every record reaches every subscriber exactly
 * once when no delivery fails.
 */
describe.each(testEngines())('two delivery engines on one database on %s', (engineName) => {
  let world: DeliveryWorld;
  let receiver: LoopbackReceiver;

  beforeAll(async () => {
    world = await openDeliveryWorld(engineName);
    // Each push is held until the next turn of the event loop, so overlapping deliveries would show.
    receiver = await startReceiver(() => new Promise((resolve) => setImmediate(() => resolve('success'))));
  });
  afterAll(async () => {
    await world.close();
    await receiver.close();
  });

  test('never push one subscription concurrently, and deliver every record once to every subscriber', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const who = i % 2 === 0 ? world.users.east : world.users.west;
      const answer = await world.service.manage(who, { collectionName: COLLECTION_NAME, action: 'SUBSCRIBE', parameters: fullParameters, push: pushParameters(`${receiver.url}/${i}`) });
      ids.push(answer.subscriptions[0]?.id ?? '');
    }
    const a = world.engine({ batchSize: 3, maxConcurrent: 4 });
    const b = world.engine({ batchSize: 3, maxConcurrent: 4 });
    a.start();
    b.start();
    const labels: number[] = [];
    for (let i = 0; i < 20; i++) labels.push(await world.addIndicator('hq', 'green'));
    const expected = labels.map(labelText);
    await receiver.until(() => ids.every((id) => receiver.accepted(id).flatMap((p) => p.labels).length >= expected.length), 30_000, 'every subscriber to get every record');
    await Promise.all([a.idle(), b.idle()]);

    expect(receiver.concurrency.maxPerSubscription).toBe(1);
    for (const id of ids) expect(receiver.accepted(id).flatMap((p) => p.labels)).toEqual(expected);
  });
});

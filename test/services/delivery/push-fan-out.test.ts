import { testEngines } from '../../support/test-databases';
import { labelText, startReceiver, type LoopbackReceiver } from './support/loopback-receiver';
import { COLLECTION_NAME, fullParameters, openDeliveryWorld, pushParameters, type DeliveryWorld } from './support/delivery-world';

/**
 * Fan-out to 100 subscriptions, driven by writes alone: the engine's periodic scan is set to an hour,
 * so every push here comes from the wake-up a write gives it (as the hub wakes it after every
 * committed write). Each write reaches each of the 100 subscribers exactly once. How fast is measured
 * by the benchmark (`npm run bench -- --only taxii11`: push latency, the hub in its own process;
 * target p99 <= 2 s), never asserted here.
 */
const SUBSCRIPTIONS = 100;
const WRITES = 5;

describe.each(testEngines())('pushes to %s subscribers driven by writes', (engineName) => {
  let world: DeliveryWorld;
  let receiver: LoopbackReceiver;
  const arrivals = new Map<string, number>();

  beforeAll(async () => {
    world = await openDeliveryWorld(engineName);
    receiver = await startReceiver((push) => {
      for (const label of push.labels) {
        const key = `${push.subscriptionId} ${label}`;
        arrivals.set(key, (arrivals.get(key) ?? 0) + 1);
      }
      return 'success';
    });
  });
  afterAll(async () => {
    await world.close();
    await receiver.close();
  });

  test(`every write reaches each of ${SUBSCRIPTIONS} subscribers exactly once, without waiting for a scan`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      const who = i % 2 === 0 ? world.users.east : world.users.west;
      ids.push((await world.service.manage(who, { collectionName: COLLECTION_NAME, action: 'SUBSCRIBE', parameters: fullParameters, push: pushParameters(`${receiver.url}/${i}`) })).subscriptions[0]?.id ?? '');
    }
    // A push whose answer comes after the client's timeout is retried (at least once, by design): the
    // world's 2 s would do that on a loaded machine, so this test, about fan-out, gives pushes 30 s.
    world.engine({ backoff: { baseMs: 1_000, capMs: 300_000, floorMs: 100 }, scanIntervalMs: 3_600_000 }, { totalTimeoutMs: 30_000 }).start();
    const labels: string[] = [];
    for (let w = 0; w < WRITES; w++) {
      const label = labelText(await world.addIndicator('hq', 'green'));
      labels.push(label);
      await receiver.until(() => ids.every((id) => arrivals.has(`${id} ${label}`)), 20_000, `write ${w} to reach every subscriber`);
    }
    const counts = ids.flatMap((id) => labels.map((label) => arrivals.get(`${id} ${label}`)));
    expect(counts).toEqual(Array.from({ length: SUBSCRIPTIONS * WRITES }, () => 1));
  });
});

import { performance } from 'node:perf_hooks';
import { testEngines } from '../../support/test-databases';
import { labelText, startReceiver, type LoopbackReceiver } from './support/loopback-receiver';
import { COLLECTION_NAME, fullParameters, openDeliveryWorld, pushParameters, type DeliveryWorld } from './support/delivery-world';

/**
 * Push latency with 100 subscriptions: from the start of a write to each subscriber's receipt of
 * the record. The engine runs with its default settings; the write wakes it as the hub does after
 * every write. The target (p99 <= 2 s) is measured by the benchmark (src/bench/
 * push-latency-bench.ts: the hub in its own process, ~0.5 s); here the hub, the receiver and the
 * test share one event loop and the machine is shared with other test files, so the bound is 3 s:
 * it still fails an engine that waits for its periodic scan instead of being woken, or serialises
 * the fan-out.
 */
const SUBSCRIPTIONS = 100;
const WRITES = 10;

describe.each(testEngines())('push latency on %s', (engineName) => {
  let world: DeliveryWorld;
  let receiver: LoopbackReceiver;
  const arrivals = new Map<string, number>();

  beforeAll(async () => {
    world = await openDeliveryWorld(engineName);
    receiver = await startReceiver((push) => {
      const at = performance.now();
      for (const label of push.labels) arrivals.set(`${push.subscriptionId} ${label}`, at);
      return 'success';
    });
  });
  afterAll(async () => {
    await world.close();
    await receiver.close();
  });

  test(`p99 from write to receipt stays within 3 s for ${SUBSCRIPTIONS} subscriptions`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      const who = i % 2 === 0 ? world.users.east : world.users.west;
      ids.push((await world.service.manage(who, { collectionName: COLLECTION_NAME, action: 'SUBSCRIBE', parameters: fullParameters, push: pushParameters(`${receiver.url}/${i}`) })).subscriptions[0]?.id ?? '');
    }
    world.engine({ backoff: { baseMs: 1_000, capMs: 300_000, floorMs: 100 }, scanIntervalMs: 1_000 }).start();
    const latencies: number[] = [];
    for (let w = 0; w < WRITES; w++) {
      const started = performance.now();
      const label = labelText(await world.addIndicator('hq', 'green'));
      await receiver.until(() => ids.every((id) => arrivals.has(`${id} ${label}`)), 20_000, `write ${w} to reach every subscriber`);
      for (const id of ids) latencies.push((arrivals.get(`${id} ${label}`) ?? Infinity) - started);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? Infinity;
    process.stdout.write(`push latency on ${engineName}, ${SUBSCRIPTIONS} subscriptions x ${WRITES} writes: p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${at(1).toFixed(0)} ms\n`);
    expect(at(0.99)).toBeLessThanOrEqual(3_000);
  });
});

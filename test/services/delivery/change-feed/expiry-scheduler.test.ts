import { createChangeNotifier } from '../../../../src/services/delivery/change-feed/change-notifier';
import { createExpiryScheduler } from '../../../../src/services/delivery/change-feed/expiry-scheduler';
import { testEngines } from '../../../support/test-databases';
import { openChangeFeedWorld, REGIONAL, SHARED, who, type ChangeFeedWorld } from './change-feed-world';

/** The expiry scheduler over the real store: expired indicators are announced and listeners told. */

describe.each(testEngines())('the expiry scheduler on %s', (engine) => {
  let world: ChangeFeedWorld;

  beforeAll(async () => {
    world = await openChangeFeedWorld(engine);
  });
  afterAll(() => world.close());

  test('its first pass runs at start: an expired indicator is announced and the collection notified once', async () => {
    const start = await world.service.currentCursor(who.east, REGIONAL);
    const past = new Date(Date.now() - 60_000).toISOString();
    const { id } = await world.indicator(REGIONAL, 'hq', 'green', { valid_until: past });
    const notifier = createChangeNotifier();
    const notified: string[] = [];
    let heard: () => void = () => {};
    const announced = new Promise<void>((resolve) => (heard = resolve));
    notifier.subscribe((collectionId) => {
      notified.push(collectionId);
      heard();
    });
    const errors: unknown[] = [];
    const scheduler = createExpiryScheduler({ store: world.store, onEvents: (c) => notifier.notify(c), onError: (error) => errors.push(error), intervalMs: 3_600_000 });
    scheduler.start();
    await announced;
    await scheduler.stop();
    expect(errors).toEqual([]);
    expect(notified).toEqual([REGIONAL]);
    const events = (await world.service.read(who.east, REGIONAL, start, 10)).events;
    expect(events.map((e) => [e.objectId, e.operation])).toEqual([
      [id, 'created'],
      [id, 'expired'],
    ]);
    // Nothing more to announce: a pass now emits nothing and tells nobody.
    expect(await scheduler.runNow()).toBe(0);
    expect(notified).toEqual([REGIONAL]);
  });

  test('a failing pass is reported and the next one runs', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const scheduler = createExpiryScheduler({
      store: { emitExpirations: (now) => (fail ? Promise.reject(new Error('database down')) : world.store.emitExpirations(now)) },
      onEvents: () => {},
      onError: (error) => errors.push(error),
      intervalMs: 3_600_000,
    });
    expect(await scheduler.runNow()).toBe(0);
    expect(errors).toHaveLength(1);
    fail = false;
    await world.indicator(SHARED, 'hq', 'green', { valid_until: new Date(Date.now() - 1_000).toISOString() });
    expect(await scheduler.runNow()).toBe(1);
    await scheduler.stop();
  });
});

describe('the change notifier', () => {
  test('tells every listener, survives one that throws, and stops telling an unsubscribed one', () => {
    const errors: unknown[] = [];
    const notifier = createChangeNotifier((error) => errors.push(error));
    const heard: string[] = [];
    const unsubscribe = notifier.subscribe((c) => heard.push(`a:${c}`));
    notifier.subscribe(() => {
      throw new Error('listener failed');
    });
    notifier.subscribe((c) => heard.push(`b:${c}`));
    notifier.notify('x');
    unsubscribe();
    unsubscribe();
    notifier.notify('y');
    expect(heard).toEqual(['a:x', 'b:x', 'b:y']);
    expect(errors).toHaveLength(2);
  });
});

import { Registry } from 'prom-client';
import { registerStreamMetrics } from '../../../src/http/ops/stream-metrics';
import type { ChangeFeedService } from '../../../src/services/delivery/change-feed/change-feed-service';
import { createPolicyService } from '../../../src/services/policy-service';
import { createStreamBroker, type StreamBroker } from '../../../src/services/streams/stream-broker';
import type { StreamMessage, StreamSink } from '../../../src/services/streams/stream-messages';
import type { StreamSettings } from '../../../src/services/streams/stream-settings';
import { principal } from '../../support/principals';
import { testEngines } from '../../support/test-databases';
import { ACME, startStreamTestHub, type StreamTestHub } from '../../http/hub-api/stream-test-hub';

/**
 * The broker behind GET /api/collections/{collection}/stream, over the real change feed of a hub
 * with the demo configuration. The sinks stand for client connections: they record what is written
 * and say how much waits unsent.
 */

const alice = principal('alice', 'acme-hq', ['provider', 'consumer', 'org-admin']);
const carol = principal('carol', 'acme-west', ['consumer']);

interface RecordingSink {
  readonly sink: StreamSink;
  readonly messages: StreamMessage[];
  ended: boolean;
  /** Resolves once `predicate` holds (checked after every write and at the end). */
  until(predicate: () => boolean): Promise<void>;
  has(objectId: string): boolean;
}

function recordingSink(buffered: () => number = () => 0): RecordingSink {
  const waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (!waiter.predicate()) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const recording: RecordingSink = {
    messages: [],
    ended: false,
    sink: {
      send(message) {
        recording.messages.push(message);
        settle();
        return buffered();
      },
      drained: () => Promise.resolve(),
      end() {
        recording.ended = true;
        settle();
      },
    },
    until: (predicate) =>
      new Promise((resolve) => {
        waiters.push({ predicate, resolve });
        settle();
      }),
    has: (objectId) => recording.messages.some((m) => m.kind === 'change' && m.event.objectId === objectId),
  };
  return recording;
}

/** The change feed, counting its reads (every call goes to the real one). */
function countingFeed(feed: ChangeFeedService): { feed: ChangeFeedService; reads: () => number; reset: () => void } {
  let reads = 0;
  return {
    feed: { ...feed, read: (...args) => ((reads += 1), feed.read(...args)), currentCursor: (...args) => feed.currentCursor(...args), decodeCursor: (...args) => feed.decodeCursor(...args), ready: () => feed.ready() },
    reads: () => reads,
    reset: () => (reads = 0),
  };
}

/** Yields to the event loop until `predicate` holds (no clock involved). */
async function eventually(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
}

describe.each(testEngines())('the stream broker on %s', (engine) => {
  let hub: StreamTestHub;
  let brokers: StreamBroker[] = [];
  const registry = new Registry();
  const metrics = registerStreamMetrics(registry);

  beforeAll(async () => {
    hub = await startStreamTestHub(engine);
    await hub.submit('alice', '192.0.2.10', { tlp: 'green' }); // the hub's identity and the GREEN marking exist from here on
  });
  afterEach(async () => {
    await Promise.all(brokers.map((b) => b.close()));
    brokers = [];
  });
  afterAll(() => hub.close());

  /** Writes in this hub wake it; the clock check and heartbeats are out of the way unless asked for. */
  function broker(feed: ChangeFeedService, settings: Partial<StreamSettings> = {}): StreamBroker {
    const made = createStreamBroker({
      changeFeed: feed,
      lastPosition: (collectionId) => hub.composed.changeFeedStore.lastPosition(collectionId),
      policy: createPolicyService({ store: hub.store }),
      changes: hub.composed.changes,
      metrics,
      logger: { warn: () => undefined },
      settings: { pollMs: 3_600_000, heartbeatMs: 3_600_000, ...settings },
    });
    brokers.push(made);
    return made;
  }

  async function open(b: StreamBroker, who = carol, sink = recordingSink()): Promise<RecordingSink> {
    const opened = await b.open({ reader: who, collectionId: ACME, start: { kind: 'now' }, filters: {} });
    opened.attach(sink.sink);
    return sink;
  }

  test('streams of one audience share one reader: each change is read once per audience, however many streams', async () => {
    const counting = countingFeed(hub.composed.changeFeed);
    const b = broker(counting.feed);
    const sinks = [await open(b, carol), await open(b, carol), await open(b, carol), await open(b, alice), await open(b, alice)];
    await eventually(() => b.stats().joined === 5);
    expect(b.stats()).toEqual({ open: 5, readers: 2, joined: 5 });

    let notifications = 0;
    const unsubscribe = hub.composed.changes.subscribe((collectionId) => {
      if (collectionId === ACME) notifications += 1;
    });
    counting.reset();
    const id = await hub.submit('bob', '192.0.2.11', { tlp: 'green' });
    await Promise.all(sinks.map((s) => s.until(() => s.has(id))));
    unsubscribe();
    expect(notifications).toBeGreaterThan(0);
    expect(counting.reads()).toBe(2 * notifications);
    expect(sinks.map((s) => s.messages.filter((m) => m.kind === 'change' && m.event.objectId === id).length)).toEqual([1, 1, 1, 1, 1]);
  });

  test('a client that cannot keep up is closed when its unsent bytes pass the bound; the others keep receiving', async () => {
    const b = broker(hub.composed.changeFeed, { maxBufferedBytes: 64 * 1024 });
    const fast = await open(b, carol);
    const slow = await open(b, carol, recordingSink(() => 64 * 1024 + 1)); // its socket never drains
    await eventually(() => b.stats().joined === 2);
    const endedBefore = await endedCount(registry, 'slow');
    const id = await hub.submit('alice', '192.0.2.12', { tlp: 'green' });
    await fast.until(() => fast.has(id));
    await slow.until(() => slow.ended);
    expect(b.stats()).toMatchObject({ open: 1, joined: 1 });
    expect(await endedCount(registry, 'slow')).toBe(endedBefore + 1);
    const next = await hub.submit('alice', '192.0.2.13', { tlp: 'green' });
    await fast.until(() => fast.has(next));
    expect(slow.has(next)).toBe(false);
  });

  test('a new stream catches up at its own pace, then joins the shared reader without a gap or a repeat', async () => {
    const b = broker(hub.composed.changeFeed, { pageSize: 2 });
    const live = await open(b, carol);
    await eventually(() => b.stats().joined === 1);
    const written: string[] = [];
    for (let i = 0; i < 5; i++) written.push(await hub.submit('alice', `198.51.100.${20 + i}`, { tlp: 'green' }));
    await live.until(() => written.every((id) => live.has(id)));
    const changes = live.messages.flatMap((m) => (m.kind === 'change' && m.event.type === 'indicator' ? [m.event.objectId] : []));
    expect(changes).toEqual(written);
    // Resumed after the first of them (pages of 2: the catch-up reads three pages on its own).
    const firstId = live.messages.find((m) => m.kind === 'change' && m.event.objectId === written[0]);
    const resumed = recordingSink();
    const opened = await b.open({ reader: carol, collectionId: ACME, start: { kind: 'after', lastEventId: firstId?.kind === 'change' ? firstId.id : '' }, filters: { types: ['indicator'] } });
    opened.attach(resumed.sink);
    await eventually(() => b.stats().joined === 2);
    const later = await hub.submit('alice', '198.51.100.30', { tlp: 'green' });
    await resumed.until(() => resumed.has(later));
    expect(resumed.messages.flatMap((m) => (m.kind === 'change' ? [m.event.objectId] : []))).toEqual([...written.slice(1), later]);
  });

  test('a shared reader whose read fails (the database away for a moment) reads again at the next clock check; nothing is lost', async () => {
    let failNext = false;
    let failed = 0;
    const feed: ChangeFeedService = {
      ...hub.composed.changeFeed,
      read: (...args) => {
        if (!failNext) return hub.composed.changeFeed.read(...args);
        failNext = false;
        failed += 1;
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
      },
      currentCursor: (...args) => hub.composed.changeFeed.currentCursor(...args),
      decodeCursor: (...args) => hub.composed.changeFeed.decodeCursor(...args),
      ready: () => hub.composed.changeFeed.ready(),
    };
    const b = broker(feed, { pollMs: 20 });
    const stream = await open(b, carol);
    await eventually(() => b.stats().joined === 1);
    failNext = true;
    const id = await hub.submit('alice', '192.0.2.14', { tlp: 'green' });
    await stream.until(() => stream.has(id));
    expect(failed).toBe(1);
    expect(stream.ended).toBe(false);
  });

  test('per-key and global caps refuse with TOO_MANY_REQUESTS; a closed stream frees its place', async () => {
    const b = broker(hub.composed.changeFeed, { perPrincipalLimit: 2, globalLimit: 3 });
    const first = await b.open({ reader: carol, collectionId: ACME, start: { kind: 'now' }, filters: {} });
    await b.open({ reader: carol, collectionId: ACME, start: { kind: 'now' }, filters: {} });
    await expect(b.open({ reader: carol, collectionId: ACME, start: { kind: 'now' }, filters: {} })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', details: { retryAfter: 5 } });
    const viaKey = { ...carol, via: 'api-key' as const, apiKeyId: 'k1' };
    await b.open({ reader: viaKey, collectionId: ACME, start: { kind: 'now' }, filters: {} });
    await expect(b.open({ reader: alice, collectionId: ACME, start: { kind: 'now' }, filters: {} })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringContaining('as many streams') });
    first.cancel();
    const third = await b.open({ reader: alice, collectionId: ACME, start: { kind: 'now' }, filters: {} });
    third.cancel();
    // A refused open (no access to the collection) takes no place.
    await expect(b.open({ reader: principal('grace', 'vandelay', ['consumer']), collectionId: ACME, start: { kind: 'now' }, filters: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(b.openCount()).toBe(2);
    await b.open({ reader: alice, collectionId: ACME, start: { kind: 'now' }, filters: {} });
    expect(b.openCount()).toBe(3);
  });
});

async function endedCount(registry: Registry, reason: string): Promise<number> {
  const metric = await registry.getSingleMetric('hub_streams_ended_total')?.get();
  return metric?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

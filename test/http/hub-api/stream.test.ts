import { demoAuth } from '../support/demo-config-hub';
import { testEngines } from '../../support/test-databases';
import type { SseConnection, SseEvent } from './stream-sse-client';
import { openSse } from './stream-sse-client';
import { ACME, startStreamTestHub, type StreamTestHub } from './stream-test-hub';

interface EventData {
  id: string;
  operation: string;
  object_id: string;
  type: string;
  position: number;
  object?: { id: string; type: string; pattern?: string };
}

const dataOf = (event: SseEvent) => JSON.parse(event.data) as EventData;
const objectIds = (events: readonly SseEvent[]) => events.map((e) => dataOf(e).object_id);
/** Waits until the connection has received a change event about `objectId`. */
const received = (connection: SseConnection, objectId: string) => connection.waitFor((c) => c.events.some((e) => e.data.includes(objectId)));

describe.each(testEngines())('GET /api/collections/{collection}/stream on %s', (engine) => {
  let hub: StreamTestHub;
  beforeAll(async () => {
    hub = await startStreamTestHub(engine, { heartbeatMs: 50 });
  });
  afterAll(() => hub.close());

  test('a stream is text/event-stream, not cached or buffered, tells the reconnection delay, and starts at the current end', async () => {
    const before = await hub.submit('alice', '192.0.2.1');
    const stream = await hub.stream('alice', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    expect(stream.headers['cache-control']).toBe('no-store');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    expect(stream.headers['content-encoding']).toBeUndefined();
    const after = await hub.submit('alice', '192.0.2.2');
    await received(stream, after);
    expect(stream.retry).toBe(3000);
    expect(objectIds(stream.events)).toEqual([after]);
    expect(objectIds(stream.events)).not.toContain(before);
    stream.close();
  });

  test('every change arrives in order, as `event: <operation>` with the event id, the object and the cursor after it', async () => {
    const stream = await hub.stream('alice');
    const ids = [await hub.submit('alice', '198.51.100.1'), await hub.submit('alice', '198.51.100.2'), await hub.submit('alice', '198.51.100.3')];
    const events = await stream.waitForEvents(3);
    expect(objectIds(events)).toEqual(ids);
    expect(events.map((e) => e.type)).toEqual(['created', 'created', 'created']);
    const data = events.map(dataOf);
    const positions = data.map((d) => d.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(3);
    for (const d of data) {
      expect(d).toMatchObject({ operation: 'created', type: 'indicator', id: `${ACME}:${d.position}:${d.object_id}` });
      expect(d.object).toMatchObject({ id: d.object_id, type: 'indicator', pattern: expect.stringContaining('198.51.100.') });
    }
    expect(new Set(events.map((e) => e.lastEventId)).size).toBe(3);
    stream.close();
  });

  test('a stream resumed with Last-Event-ID gets exactly what followed that event', async () => {
    const first = await hub.stream('alice');
    const a = await hub.submit('alice', '203.0.113.1');
    const b = await hub.submit('alice', '203.0.113.2');
    await received(first, b);
    const afterA = first.events.find((e) => e.data.includes(a))?.lastEventId ?? '';
    first.close();
    const c = await hub.submit('alice', '203.0.113.3');
    const d = await hub.submit('alice', '203.0.113.4');
    const resumed = await hub.stream('alice', { headers: { 'Last-Event-ID': afterA } });
    await received(resumed, d);
    expect(objectIds(resumed.events)).toEqual([b, c, d]);
    // What a client that cannot set headers sends instead.
    const byQuery = await hub.stream('alice', { query: `last_event_id=${encodeURIComponent(afterA)}` });
    await received(byQuery, d);
    expect(objectIds(byQuery.events)).toEqual([b, c, d]);
    resumed.close();
    byQuery.close();
  });

  test('from the beginning, then resumed after an event in the middle of a page: nothing lost, nothing twice', async () => {
    const whole = await hub.stream('alice', { query: 'from=beginning' });
    const sentinel = await hub.submit('alice', '203.0.113.50');
    await received(whole, sentinel);
    const all = objectIds(whole.events);
    expect(all.length).toBeGreaterThan(5);
    expect(new Set(all).size).toBe(all.length);
    // The second event of the first page: its id resumes in the middle of that page.
    const second = whole.events[1] as SseEvent;
    whole.close();
    const resumed = await hub.stream('alice', { headers: { 'Last-Event-ID': second.lastEventId } });
    await received(resumed, sentinel);
    expect(objectIds(resumed.events)).toEqual(all.slice(2));
    resumed.close();
  });

  test('filters: ?types= and ?operations= keep only those events', async () => {
    const onlyIdentities = await hub.stream('alice', { query: 'types=identity' });
    const onlyCreated = await hub.stream('alice', { query: 'operations=created,updated' });
    const everything = await hub.stream('alice');
    const id = await hub.submit('alice', '192.0.2.77');
    const revoked = await fetch(`${hub.url}/api/collections/${ACME}/indicators/${id}/revoke`, { method: 'POST', headers: { Authorization: demoAuth('alice'), 'Content-Type': 'application/json' }, body: '{}' });
    expect(revoked.status).toBe(200);
    await everything.waitFor((c) => c.events.some((e) => e.type === 'revoked'));
    expect(everything.events.map((e) => e.type)).toEqual(['created', 'revoked']);
    await received(onlyCreated, id);
    expect(onlyCreated.events.map((e) => e.type)).toEqual(['created']);
    expect(onlyIdentities.events).toEqual([]);
    for (const s of [onlyIdentities, onlyCreated, everything]) s.close();
  });

  test('a branch never receives a sibling branch\'s AMBER event; the head office and the branch itself do', async () => {
    // (A GREEN submission also writes the marking definition and the hub's identity: indicators only here.)
    const west = await hub.stream('carol', { query: 'types=indicator' }); // acme-west
    const hq = await hub.stream('alice', { query: 'types=indicator' }); // acme-hq
    const east = await hub.stream('bob', { query: 'types=indicator' }); // acme-east, the provider
    const amber = await hub.submit('bob', '192.0.2.201');
    const green = await hub.submit('bob', '192.0.2.202', { tlp: 'green' });
    await received(west, green);
    await received(hq, green);
    await received(east, green);
    expect(objectIds(west.events)).toEqual([green]);
    expect(objectIds(hq.events)).toEqual([amber, green]);
    expect(objectIds(east.events)).toEqual([amber, green]);
    for (const s of [west, hq, east]) s.close();
  });

  test('an indicator whose valid_until passed arrives as `expired` when the expiry pass announces it', async () => {
    const stream = await hub.stream('alice', { query: 'types=indicator' });
    const body = { collection: ACME, valid_from: '2020-01-01T00:00:00Z', valid_until: '2020-02-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: '192.0.2.99' }] };
    const response = await fetch(`${hub.url}/api/submissions`, { method: 'POST', headers: { Authorization: demoAuth('alice'), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const id = ((await response.json()) as { indicators: { id: string }[] }).indicators[0]?.id ?? '';
    await received(stream, id);
    expect(await hub.composed.expiry.runNow()).toBeGreaterThan(0);
    await stream.waitFor((c) => c.events.some((e) => e.type === 'expired' && dataOf(e).object_id === id));
    // (Indicators of earlier tests may expire in the same pass, depending on today's date.)
    expect(stream.events.filter((e) => dataOf(e).object_id === id).map((e) => e.type)).toEqual(['created', 'expired']);
    stream.close();
  });

  test('heartbeats: a `: heartbeat` comment comes at the configured interval', async () => {
    const stream = await hub.stream('carol');
    await stream.waitFor((c) => c.comments.includes('heartbeat'));
    stream.close();
  });

  test("a live stream counts as polling: from its next heartbeat, the figures show its reader's last poll as the stream, of the types it streams, with no lag", async () => {
    const ownPolls = async (username: string) => {
      const response = await fetch(`${hub.url}/api/collections/${ACME}/figures`, { headers: { Authorization: demoAuth(username) } });
      return ((await response.json()) as { own_polls?: Record<string, unknown> }).own_polls;
    };
    const stream = await hub.stream('carol', { query: 'types=indicator' });
    const id = await hub.submit('alice', '192.0.2.77', { tlp: 'green' });
    await received(stream, id);
    const beats = stream.comments.length;
    await stream.waitFor((c) => c.comments.length > beats); // a heartbeat sent after the event
    expect(await ownPolls('carol')).toMatchObject({ last_poll: { protocol: 'stream', user: 'carol' }, lag: { of: 'objects', types: ['indicator'], objects: 0, versions: 0 } });
    stream.close();
  });

  test('refusals come as JSON errors before the stream starts', async () => {
    const badCursor = await hub.stream('alice', { headers: { 'Last-Event-ID': '12.abc.def' } });
    expect(badCursor.status).toBe(400);
    expect(badCursor.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(badCursor.body)).toMatchObject({ error: { code: 'INVALID_CURSOR' } });

    const otherCollection = await hub.stream('alice');
    const a = await hub.submit('alice', '192.0.2.90');
    await received(otherCollection, a);
    const cursor = otherCollection.lastEventId;
    otherCollection.close();
    // alice reads the alliance exchange too, but a cursor of acme-internal does not work there.
    const moved = await hub.stream('alice', { collection: '' + 'd6213043-77da-4b4e-82b6-d9aceb68b6c6', headers: { 'Last-Event-ID': cursor } });
    expect(moved.status).toBe(400);
    expect(JSON.parse(moved.body)).toMatchObject({ error: { code: 'INVALID_CURSOR' } });

    const unknown = await hub.stream('alice', { collection: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'NOT_FOUND' } });

    const notAMember = await hub.stream('grace'); // vandelay is in no ACME group
    expect(notAMember.status).toBe(404);
    // As a TAXII read: heidi (vandelay) sees the ISAC feed but, without the consumer role, may not read it.
    const notAConsumer = await hub.stream('heidi', { collection: '735988d1-ca7e-4645-96dd-38a00e72e2f4' });
    expect(notAConsumer.status).toBe(403);
    expect(JSON.parse(notAConsumer.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });

    const badType = await hub.stream('alice', { query: 'types=Indicator!' });
    expect(badType.status).toBe(400);
    expect(JSON.parse(badType.body)).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('types') } });
    const badOperation = await hub.stream('alice', { query: 'operations=created,exploded' });
    expect(badOperation.status).toBe(400);
    const badFrom = await hub.stream('alice', { query: 'from=yesterday' });
    expect(badFrom.status).toBe(400);

    const anonymous = await openSse(`${hub.url}/api/collections/${ACME}/stream`);
    expect(anonymous.status).toBe(401);
    const wrongAccept = await hub.stream('alice', { headers: { Accept: 'application/json' } });
    expect(wrongAccept.status).toBe(406);
    const post = await fetch(`${hub.url}/api/collections/${ACME}/stream`, { method: 'POST', headers: { Authorization: demoAuth('alice') } });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  test('at most 5 streams per user: the 6th gets 429 with Retry-After and a JSON error; closing one makes room', async () => {
    await waitForGauge(hub, (open) => open === 0); // the earlier tests' streams are gone
    const open = await Promise.all([1, 2, 3, 4, 5].map(() => hub.stream('carol')));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await hub.stream('carol');
    expect(sixth.status).toBe(429);
    expect(sixth.headers['retry-after']).toBeDefined();
    expect(JSON.parse(sixth.body)).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS', message: expect.stringContaining('5 streams') } });
    // Another user has its own allowance.
    const other = await hub.stream('alice');
    expect(other.status).toBe(200);
    other.close();
    open[0]?.close();
    // The hub frees the place once it sees the connection close (the stream gauge tells when).
    await waitForGauge(hub, (open) => open === 4);
    const again = await hub.stream('carol');
    expect(again.status).toBe(200);
    for (const s of [...open, again]) s.close();
  });

  // Last: it closes this hub's broker.
  test('closing the broker (what the server does first on shutdown) ends every stream and refuses new ones', async () => {
    const streams = [await hub.stream('alice'), await hub.stream('carol')];
    await hub.composed.streams.close();
    await Promise.all(streams.map((s) => s.ended));
    expect(hub.composed.streams.openCount()).toBe(0);
    const late = await hub.stream('alice');
    expect(late.status).toBe(429);
  });
});

/** Waits (yielding to the event loop, never on a clock) until `predicate` holds for the hub's open streams. */
async function waitForGauge(hub: StreamTestHub, predicate: (openStreams: number) => boolean): Promise<void> {
  for (;;) {
    if (predicate(await openStreamsOf(hub))) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function openStreamsOf(hub: StreamTestHub): Promise<number> {
  const metric = await hub.metrics.registry.getSingleMetric('hub_streams_open')?.get();
  return metric?.values[0]?.value ?? 0;
}

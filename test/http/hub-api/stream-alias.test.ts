import { startStreamTestHub, type StreamTestHub } from './stream-test-hub';

/** The live stream takes a collection's alias as its id: it wakes on that collection's changes. */

let hub: StreamTestHub;
beforeAll(async () => {
  hub = await startStreamTestHub('pglite', { heartbeatMs: 50 });
});
afterAll(() => hub.close());

test('a stream opened by alias receives what is submitted to the collection', async () => {
  const stream = await hub.stream('alice', { collection: 'acme-internal' });
  expect(stream.status).toBe(200);
  const id = await hub.submit('alice', '203.0.113.77', { collection: 'acme-internal' });
  await stream.waitFor((c) => c.events.some((e) => e.data.includes(id)));
  stream.close();
});

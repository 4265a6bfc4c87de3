import request from 'supertest';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHub } from '../../../src/hub-composition';
import { loadDemoConfig } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';
import type { SseEvent } from './stream-sse-client';
import { ACME, startStreamTestHub, type StreamTestHub } from './stream-test-hub';

/**
 * What a stream carries is decided by the change feed at every read, as TAXII reads are: writes by
 * another hub process arrive through the clock check, and a policy change reaches open streams.
 */

const dataOf = (event: SseEvent) => JSON.parse(event.data) as { operation: string; object_id: string; object?: unknown };

describe.each(testEngines())('live streams and access on %s', (engine) => {
  let hub: StreamTestHub;
  beforeAll(async () => {
    hub = await startStreamTestHub(engine, { pollMs: 50 });
  });
  afterAll(() => hub.close());

  test('a write made by another hub process on the same database reaches the stream (through the clock check)', async () => {
    const stream = await hub.stream('carol', { query: 'types=indicator' });
    // Another process: its own composition, whose writes this hub is never told of in-process.
    const config = await loadDemoConfig();
    const other = composeHub({ db: hub.db, store: hub.store, hub: config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
    const response = await request(other.app)
      .post('/api/submissions')
      .set('Authorization', demoAuth('alice'))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ collection: ACME, valid_from: '2026-11-01T00:00:00Z', marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value: '192.0.2.150' }] }));
    expect(response.status).toBe(200);
    const id = (response.body as { indicators: { id: string }[] }).indicators[0]?.id ?? '';
    await stream.waitFor((c) => c.events.some((e) => e.data.includes(id)));
    expect(stream.events.map((e) => dataOf(e).object_id)).toEqual([id]);
    stream.close();
    await other.streams.close();
  });

  test('revoking an API key ends its streams at once; the reconnection is refused with 401', async () => {
    const operator = demoAuth('operator');
    const users = await request(hub.url).get('/admin/api/users').set('Authorization', operator);
    const carol = (users.body as { users: { id: string; username: string }[] }).users.find((u) => u.username === 'carol');
    const issued = await request(hub.url).post(`/admin/api/users/${carol?.id ?? ''}/api-keys`).set('Authorization', operator).set('Content-Type', 'application/json').send({ name: 'stream test' });
    expect(issued.status).toBe(201);
    const { id, token } = issued.body as { id: string; token: string };
    const byKey = await hub.stream('carol', { headers: { Authorization: `Bearer ${token}` } });
    const byPassword = await hub.stream('carol');
    expect(byKey.status).toBe(200);
    expect((await request(hub.url).post(`/admin/api/api-keys/${id}/revoke`).set('Authorization', operator)).status).toBe(200);
    await byKey.ended;
    expect(byKey.events.map((e) => e.type)).not.toContain('access-revoked'); // a client reconnects, and learns then
    const again = await hub.stream('carol', { headers: { Authorization: `Bearer ${token}`, 'Last-Event-ID': byKey.lastEventId } });
    expect(again.status).toBe(401);
    // The user's password streams are not the key's: they go on.
    const green = await hub.submit('alice', '192.0.2.170', { tlp: 'green' });
    await byPassword.waitFor((c) => c.events.some((e) => e.data.includes(green)));
    byPassword.close();
  });

  test('a membership change mid-stream: the head office gets access-lost for what it may no longer read; the branch that left gets access-revoked and the stream ends', async () => {
    const hq = await hub.stream('alice', { query: 'types=indicator' });
    const east = await hub.stream('bob', { query: 'types=indicator' });
    const west = await hub.stream('carol', { query: 'types=indicator' });
    const amber = await hub.submit('bob', '192.0.2.160'); // acme-east's, AMBER (the collection's default)
    await hq.waitFor((c) => c.events.some((e) => e.data.includes(amber)));
    await east.waitFor((c) => c.events.some((e) => e.data.includes(amber)));

    // The operator takes acme-east out of the ACME group (stored directly: what an admin API call or a config reload does).
    const group = await hub.store.trustGroups.get('acme-tree');
    if (group === undefined) throw new Error('the demo configuration has no acme-tree');
    await hub.store.trustGroups.update({ ...group, members: group.members.filter((m) => m !== 'acme-east'), tree: { 'acme-hq': ['acme-west'] } });

    await hq.waitFor((c) => c.events.some((e) => e.type === 'access-lost'));
    const lost = hq.events.filter((e) => e.type === 'access-lost').map(dataOf);
    expect(lost).toEqual([expect.objectContaining({ operation: 'access-lost', object_id: amber })]);
    expect(lost[0]?.object).toBeUndefined();

    await east.ended;
    expect(east.events.at(-1)?.type).toBe('access-revoked');
    expect(JSON.parse(east.events.at(-1)?.data ?? '{}')).toMatchObject({ collection: ACME });

    // The sibling never saw the AMBER indicator, so it loses nothing, and its stream goes on.
    const green = await hub.submit('alice', '192.0.2.161', { tlp: 'green' });
    await west.waitFor((c) => c.events.some((e) => e.data.includes(green)));
    expect(west.events.map((e) => e.type)).toEqual(['created']);
    // The head office's stream goes on too, after its access-lost event.
    await hq.waitFor((c) => c.events.some((e) => e.data.includes(green)));
    expect(hq.events.map((e) => e.type)).toEqual(['created', 'access-lost', 'created']);

    // Resuming from before the change replays the access change, not the lost object.
    const resumed = await hub.stream('alice', { query: 'types=indicator', headers: { 'Last-Event-ID': hq.events[0]?.lastEventId ?? '' } });
    await resumed.waitFor((c) => c.events.some((e) => e.data.includes(green)));
    expect(resumed.events.map((e) => [e.type, dataOf(e).object_id])).toEqual([
      ['access-lost', amber],
      ['created', green],
    ]);
    for (const s of [hq, west, resumed]) s.close();
  });
});

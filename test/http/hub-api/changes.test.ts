import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';
import { ACME, startStreamTestHub, type StreamTestHub } from './stream-test-hub';

/**
 * GET /api/collections/{collection}/changes: the change feed in pages, read as TAXII reads are
 * decided (issue 14: what `taxii-hub match` keeps its mirror with).
 */

interface ChangesPage {
  readonly events: { readonly position: number; readonly operation: string; readonly object_id: string; readonly type: string; readonly version: string; readonly object?: { readonly id: string } }[];
  readonly cursor: string;
  readonly more: boolean;
}

describe.each(testEngines())('the change feed in pages on %s', (engine) => {
  let hub: StreamTestHub;
  beforeAll(async () => {
    hub = await startStreamTestHub(engine);
  });
  afterAll(() => hub.close());

  const get = async (username: string | undefined, collection: string, query = '') => {
    const response = await fetch(`${hub.url}/api/collections/${collection}/changes${query}`, { headers: username === undefined ? {} : { Authorization: demoAuth(username) } });
    return { status: response.status, body: (await response.json()) as ChangesPage & { error?: { code: string } } };
  };
  const readAll = async (username: string, cursor: string, query = '') => {
    const events: ChangesPage['events'][number][] = [];
    let at = cursor;
    for (;;) {
      const page = await get(username, ACME, `?cursor=${encodeURIComponent(at)}${query}`);
      expect(page.status).toBe(200);
      events.push(...page.body.events);
      at = page.body.cursor;
      if (!page.body.more) return { events, cursor: at };
    }
  };

  test('pages follow each other by cursor, in position order, with the objects; from=now starts at the end; the alias names the collection', async () => {
    const start = await get('alice', 'acme-internal', '?from=now');
    expect(start.status).toBe(200);
    expect(start.body).toEqual({ events: [], cursor: expect.any(String), more: false });
    const ids = [await hub.submit('alice', '192.0.2.1', { tlp: 'green' }), await hub.submit('alice', '192.0.2.2', { tlp: 'green' }), await hub.submit('alice', '192.0.2.3', { tlp: 'green' })];

    const first = await get('alice', ACME, `?cursor=${encodeURIComponent(start.body.cursor)}&limit=2&types=indicator`);
    expect(first.status).toBe(200);
    expect(first.body.more).toBe(true);
    expect(first.body.events.map((e) => [e.operation, e.object_id, e.type])).toEqual([['created', ids[0], 'indicator'], ['created', ids[1], 'indicator']]);
    expect(first.body.events[0]?.object?.id).toBe(ids[0]);
    expect(first.body.events[0]?.version).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const second = await get('alice', ACME, `?cursor=${encodeURIComponent(first.body.cursor)}&limit=2&types=indicator`);
    expect(second.body.events.map((e) => e.object_id)).toEqual([ids[2]]);
    expect(second.body.more).toBe(false);
    expect(second.body.events[0]?.position).toBeGreaterThan(first.body.events[1]?.position ?? Infinity);
    // Nothing new: the same cursor comes back with no events.
    const none = await get('alice', ACME, `?cursor=${encodeURIComponent(second.body.cursor)}`);
    expect(none.body).toEqual({ events: [], cursor: second.body.cursor, more: false });

    // From the beginning the whole history is there (the default).
    const all = await get('alice', ACME);
    expect(all.body.events.map((e) => e.object_id)).toEqual(expect.arrayContaining(ids));
  });

  test('carol (acme-west) reads the GREEN indicators of acme-internal but not acme-east\'s AMBER one', async () => {
    const start = await get('carol', ACME, '?from=now');
    const amber = await hub.submit('bob', '192.0.2.20');
    const green = await hub.submit('bob', '192.0.2.21', { tlp: 'green' });
    const { events } = await readAll('carol', start.body.cursor, '&types=indicator');
    expect(events.map((e) => e.object_id)).toEqual([green]);
    const alice = await readAll('alice', (await get('alice', ACME, '?from=now')).body.cursor, '&types=indicator');
    expect(alice.events).toEqual([]);
    expect((await get('alice', ACME)).body.events.map((e) => e.object_id)).toEqual(expect.arrayContaining([amber, green]));
  });

  test('when the head office\'s audience changes, its next read starts with access-lost, and access-gained (with the object) when it comes back', async () => {
    const amber = await hub.submit('bob', '192.0.2.30'); // acme-east's, AMBER: the head office reads it while acme-east is in its tree
    const { cursor } = await readAll('alice', (await get('alice', ACME)).body.cursor);
    // The operator takes acme-east out of the ACME group through the admin API (the group handed
    // over to the admin API first: the demo configuration manages it).
    const group = await hub.store.trustGroups.get('acme-tree');
    if (group === undefined) throw new Error('the demo configuration has no acme-tree');
    await hub.store.trustGroups.update({ ...group, managedBy: 'admin' });
    const tree = (value: Record<string, string[]>) => fetch(`${hub.url}/admin/api/trust-groups/acme-tree`, { method: 'PATCH', headers: { Authorization: demoAuth('operator'), 'Content-Type': 'application/json' }, body: JSON.stringify({ tree: value }) });
    expect((await tree({ 'acme-hq': ['acme-west'] })).status).toBe(200);
    const lost = await readAll('alice', cursor, '&types=indicator');
    expect(lost.events.filter((e) => e.object_id === amber).map((e) => [e.operation, e.object])).toEqual([['access-lost', undefined]]);

    expect((await tree({ 'acme-hq': ['acme-east', 'acme-west'] })).status).toBe(200);
    const gained = await readAll('alice', lost.cursor, '&types=indicator');
    const back = gained.events.filter((e) => e.object_id === amber);
    expect(back.map((e) => e.operation)).toEqual(['access-gained']);
    expect(back[0]?.object?.id).toBe(amber);
  });

  test.each([
    ['limit 0', '?limit=0', 400, 'BAD_REQUEST'],
    ['limit over 1000', '?limit=1001', 400, 'BAD_REQUEST'],
    ['limit not a number', '?limit=ten', 400, 'BAD_REQUEST'],
    ['limit twice', '?limit=1&limit=2', 400, 'BAD_REQUEST'],
    ['a type that is no STIX type', '?types=Indicator!', 400, 'BAD_REQUEST'],
    ['an empty type', '?types=indicator,', 400, 'BAD_REQUEST'],
    ['from something else', '?from=yesterday', 400, 'BAD_REQUEST'],
    ['a cursor and from', '?from=now&cursor=1.a.b', 400, 'BAD_REQUEST'],
    ['a cursor the hub did not issue', '?cursor=123.abc.AAAAAAAAAAAAAAAAAAAAAA', 400, 'INVALID_CURSOR'],
    ['a malformed cursor', '?cursor=garbage', 400, 'INVALID_CURSOR'],
  ])('%s is refused (%s → %i %s)', async (_name, query, status, code) => {
    const answer = await get('alice', ACME, query);
    expect([answer.status, answer.body.error?.code]).toEqual([status, code]);
  });

  test('a cursor of another collection is refused; an unknown or unreadable collection is not found; without credentials 401', async () => {
    const other = await get('alice', DEMO_COLLECTIONS.allianceExchange, '?from=now');
    expect(other.status).toBe(200);
    expect((await get('alice', ACME, `?cursor=${encodeURIComponent(other.body.cursor)}`)).body.error?.code).toBe('INVALID_CURSOR');
    expect((await get('alice', 'no-such-collection')).status).toBe(404);
    expect((await get('carol', DEMO_COLLECTIONS.initechPrivate)).status).toBe(404);
    expect((await get(undefined, ACME)).status).toBe(401);
  });
});

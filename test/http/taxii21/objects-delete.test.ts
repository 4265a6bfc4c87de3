import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { TAXII, del, get, json, newId, objectsOf, seed, versionsOf } from './objects-fixture';

const COLLECTION = `/demo/collections/${DEMO_COLLECTIONS.acmeInternal}`;
const object = (id: string) => `${COLLECTION}/objects/${id}/`;
const MANIFEST = `${COLLECTION}/manifest/?match[version]=all`;

let hub: DemoConfigHub;
beforeAll(async () => {
  hub = await startDemoConfigHub();
});
afterAll(() => hub.close());

/** An object of acme-east (bob's organization) in acme-internal with versions modified on these days of March. */
async function eastObject(days: string[], tlp: 'green' | 'amber' = 'green'): Promise<string> {
  const id = newId();
  for (const day of days) await seed(hub.db, DEMO_COLLECTIONS.acmeInternal, { id, modified: `2026-03-${day}T00:00:00.000Z`, provider: 'acme-east', tlp });
  return id;
}

const manifestIds = async () => objectsOf(await get(hub.app, MANIFEST, 'operator')).map((r) => r.id);

describe('TAXII 2.1 Delete an Object (DELETE …/objects/{object-id}/)', () => {
  test('the provider deletes every version by default: then the object is a 404 and gone from objects and manifest', async () => {
    const id = await eastObject(['01', '02']);
    const res = await del(hub.app, object(id), 'bob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(json(res)).toEqual({});
    expect((await get(hub.app, object(id), 'bob')).status).toBe(404);
    expect((await get(hub.app, `${object(id)}versions/`, 'bob')).status).toBe(404);
    expect(await manifestIds()).not.toContain(id);
    expect(objectsOf(await get(hub.app, `${COLLECTION}/objects/?match[version]=all`, 'operator')).map((o) => o.id)).not.toContain(id);
  });

  test('match[version] and match[spec_version] select the versions to delete', async () => {
    const id = await eastObject(['01', '02', '03']);
    expect((await del(hub.app, `${object(id)}?match[version]=first`, 'bob')).status).toBe(200);
    expect(versionsOf(await get(hub.app, `${object(id)}?match[version]=all`, 'bob'))).toEqual([`${id}@2026-03-02T00:00:00.000Z`, `${id}@2026-03-03T00:00:00.000Z`]);
    expect((await del(hub.app, `${object(id)}?match[version]=2026-03-03T00:00:00Z`, 'bob')).status).toBe(200);
    expect(versionsOf(await get(hub.app, object(id), 'bob'))).toEqual([`${id}@2026-03-02T00:00:00.000Z`]);
    // Nothing matches: 404, and the object stays.
    expect((await del(hub.app, `${object(id)}?match[spec_version]=2.0`, 'bob')).status).toBe(404);
    expect((await del(hub.app, `${object(id)}?match[version]=2026-03-09T00:00:00Z`, 'bob')).status).toBe(404);
    expect((await del(hub.app, `${object(id)}?match[spec_version]=2.1&match[version]=last`, 'bob')).status).toBe(200);
    expect((await get(hub.app, object(id), 'bob')).status).toBe(404);
  });

  test('every delete is audited with the versions it removed', async () => {
    const id = await eastObject(['04', '05']);
    expect((await del(hub.app, object(id), 'bob')).status).toBe(200);
    const [entry, ...more] = await hub.store.audit.list({ entityType: 'stix-object', entityId: id, limit: 10 });
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: 'bob', action: 'object.delete', after: null });
    const before = entry?.before as { collection_id: string; version: string; date_added: string }[];
    expect(before.map((v) => v.version)).toEqual(['2026-03-04T00:00:00.000000Z', '2026-03-05T00:00:00.000000Z']);
    expect(before.every((v) => v.collection_id === DEMO_COLLECTIONS.acmeInternal && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(v.date_added))).toBe(true);
  });

  test("another organization that can read the object may not delete it: 403, and the object stays", async () => {
    const id = await eastObject(['06'], 'amber');
    const res = await del(hub.app, object(id), 'alice'); // acme-hq reads its branch's AMBER objects
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(json(res)).toMatchObject({ error_code: 'FORBIDDEN', http_status: '403' });
    expect((await get(hub.app, object(id), 'alice')).status).toBe(200);
  });

  test('an object the client cannot read is a 404, like one that does not exist', async () => {
    const id = newId();
    await seed(hub.db, DEMO_COLLECTIONS.acmeInternal, { id, modified: '2026-03-07T00:00:00.000Z', provider: 'acme-hq', tlp: 'red', recipients: ['acme-west'] });
    expect((await del(hub.app, object(id), 'bob')).status).toBe(404);
    expect((await del(hub.app, object(newId()), 'bob')).status).toBe(404);
    expect((await get(hub.app, object(id), 'carol')).status).toBe(200);
  });

  test('a read-only client gets 403, a write-only client 403, a client outside the collection 404', async () => {
    const id = await eastObject(['08']);
    expect((await del(hub.app, object(id), 'carol')).status).toBe(403); // acme-west: consumer only
    const isac = `/demo/collections/${DEMO_COLLECTIONS.isacFeed}/objects/${id}/`;
    expect((await del(hub.app, isac, 'heidi')).status).toBe(403); // vandelay's provider-only user: writes, cannot read
    expect((await del(hub.app, object(id), 'erin')).status).toBe(404); // globex-lab: not in acme-tree
    expect((await get(hub.app, object(id), 'bob')).status).toBe(200);
  });

  test('an operator may delete any object, and that is audited too', async () => {
    const id = await eastObject(['09']);
    expect((await del(hub.app, object(id), 'operator')).status).toBe(200);
    expect((await get(hub.app, object(id), 'bob')).status).toBe(404);
    const trail = await hub.store.audit.list({ entityType: 'stix-object', entityId: id, limit: 10 });
    expect(trail.map((e) => [e.actor, e.action])).toEqual([['operator', 'object.delete']]);
  });

  test('paging parameters are not parameters of DELETE and are ignored', async () => {
    const id = await eastObject(['10']);
    expect((await del(hub.app, `${object(id)}?limit=0&added_after=never`, 'bob')).status).toBe(200);
  });

  test('without credentials: 401', async () => {
    const res = await request(hub.app).delete(object(newId())).set('Accept', TAXII);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe(TAXII);
  });

  test('another method on the object: 405 with Allow', async () => {
    const res = await request(hub.app).put(object(newId())).set('Authorization', demoAuth('bob'));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, DELETE, HEAD');
  });
});

import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { TAXII, del, get, json, newId, objectsOf, seed } from './objects-fixture';

/**
 * Gaps found by the conformance review against the TAXII 2.1 checklist (rows L3 and M4), over the
 * demo config: heidi (vandelay, provider only) may write isac-feed but not read it, and sees
 * initech-feed (her organization is in Initech's trust group) without reading or writing it.
 */

const ISAC = `/demo/collections/${DEMO_COLLECTIONS.isacFeed}`;
const INITECH = `/demo/collections/${DEMO_COLLECTIONS.initechPrivate}`;

let hub: DemoConfigHub;
beforeAll(async () => {
  hub = await startDemoConfigHub();
});
afterAll(() => hub.close());

const post = (body: string) =>
  request(hub.app).post(`${ISAC}/objects/`).set('Authorization', demoAuth('heidi')).set('Accept', TAXII).set('Content-Type', TAXII).send(body);

function indicatorJson(name: string): string {
  // The name is spliced in as JSON text, so a test can send escapes exactly as a client writes them.
  return `{"type":"indicator","spec_version":"2.1","id":"${newId()}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"${name}","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`;
}

describe('L3: DELETE by a client that can neither read nor write the collection', () => {
  test('is a 404 (interop §3.5.2.4), although the collection is listed for it with can_read and can_write false', async () => {
    const id = newId();
    await seed(hub.db, DEMO_COLLECTIONS.initechPrivate, { id, modified: '2026-01-02T00:00:00.000Z', provider: 'initech', tlp: 'green' });
    const listed = await get(hub.app, `${INITECH}/`, 'heidi');
    expect(json(listed)).toMatchObject({ can_read: false, can_write: false });

    const res = await del(hub.app, `${INITECH}/objects/${id}/`, 'heidi');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(json(res)).toMatchObject({ http_status: '404' });
    expect(objectsOf(await get(hub.app, `${INITECH}/objects/${id}/`, 'frank'))).toHaveLength(1);
  });

  test('a write-only client still gets 403, and so does a read-only one', async () => {
    const id = newId();
    await seed(hub.db, DEMO_COLLECTIONS.isacFeed, { id, modified: '2026-01-02T00:00:00.000Z', provider: 'initech', tlp: 'green' });
    expect((await del(hub.app, `${ISAC}/objects/${id}/`, 'heidi')).status).toBe(403);
    expect((await del(hub.app, `${ISAC}/objects/${id}/`, 'grace')).status).toBe(403);
  });
});

describe('M4: U+0000 is a client mistake (4xx), never a 500', () => {
  test('in an API root, collection or object path segment: 404', async () => {
    for (const path of ['/a%00b/', '/a%00b/collections/', `/demo/collections/a%00b/objects/`, `${ISAC}/objects/a%00b/`, `${ISAC}/objects/a%00b/versions/`]) {
      const res = await get(hub.app, path, 'grace');
      expect([path, res.status, res.headers['content-type']]).toEqual([path, 404, TAXII]);
    }
    expect((await del(hub.app, `${ISAC}/objects/a%00b/`, 'operator')).status).toBe(404);
  });

  test('in a match[...] value: 400 naming the parameter', async () => {
    for (const query of ['objects/?match[type]=a%00b', 'manifest/?match[id]=indicator--a%00b', 'objects/?match[spec_version]=2.1%00']) {
      const res = await get(hub.app, `${ISAC}/${query}`, 'grace');
      expect([query, res.status]).toEqual([query, 400]);
      expect(String(json(res).description)).toMatch(/match\[/);
    }
  });

  test('escaped in a posted body: 422 for the whole request', async () => {
    const res = await post(`{"objects":[${indicatorJson('a\\u0000b')}]}`);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(json(res)).toMatchObject({ http_status: '422' });
    expect((await post(`{"objects":[{"type":"indicator","id":"indicator--a\\u0000"}]}`)).status).toBe(422);
  });

  test('the text \\u0000 (an escaped backslash before u0000) is an ordinary string and is stored', async () => {
    const res = await post(`{"objects":[${indicatorJson('C:\\\\u0000')}]}`);
    expect(res.status).toBe(202);
    expect(json(res)).toMatchObject({ success_count: 1, failure_count: 0 });
  });
});

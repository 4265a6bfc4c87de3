import request from 'supertest';
import { TAXII_MEDIA_TYPE } from '../../../src/http/taxii21/media-types';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';

let hub: DemoConfigHub;
beforeAll(async () => {
  hub = await startDemoConfigHub();
  await hub.store.apiRoots.insert({ id: 'empty', title: 'Empty', description: null, maxContentLength: 1024, managedBy: 'admin' });
});
afterAll(() => hub.close());

const get = (path: string, username: string) => request(hub.app).get(path).set('Authorization', demoAuth(username)).set('Accept', TAXII_MEDIA_TYPE);
const body = (res: request.Response): Record<string, unknown> => JSON.parse(res.text) as Record<string, unknown>;

type Seen = [alias: string, canRead: boolean, canWrite: boolean];

// What each demo user's organization is entitled to (collections/README.md and the semantics in
// src/access/index.ts), in the order the list is sorted: by collection id.
//   initech-feed 71c9a6ae…  isac-feed 735988d1…  acme-internal 948f89cd…  alliance-exchange d6213043…
const ENTITLEMENTS: [username: string, seen: Seen[]][] = [
  ['operator', [['initech-feed', true, true], ['isac-feed', true, true], ['acme-internal', true, true], ['alliance-exchange', true, true]]],
  // acme-hq: in all three groups; initech-feed through the ISAC, read-only.
  ['alice', [['initech-feed', true, false], ['isac-feed', true, true], ['acme-internal', true, true], ['alliance-exchange', true, true]]],
  ['bob', [['acme-internal', true, true], ['alliance-exchange', true, true]]],
  // acme-west: a consumer-only branch in acme-tree only.
  ['carol', [['acme-internal', true, false]]],
  ['dave', [['initech-feed', true, false], ['isac-feed', true, true], ['alliance-exchange', true, true]]],
  ['erin', [['alliance-exchange', true, true]]],
  ['frank', [['initech-feed', true, true], ['isac-feed', true, true]]],
  // vandelay: an ISAC member, so it also sees the collection of its ISAC peer initech.
  ['grace', [['initech-feed', true, false], ['isac-feed', true, false]]],
  // A provider-only user sees its collections but reads none (H5: such collections are still listed).
  ['heidi', [['initech-feed', false, false], ['isac-feed', false, true]]],
];

describe('TAXII 2.1 Get Collections (GET /{api-root}/collections/)', () => {
  test.each(ENTITLEMENTS)('%s sees exactly the collections its organization is entitled to, with can_read/can_write for itself', async (username, seen) => {
    const res = await get('/demo/collections/', username);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    const listed = (body(res).collections as Record<string, unknown>[]).map((c): Seen => [c.alias as string, c.can_read as boolean, c.can_write as boolean]);
    expect(listed).toEqual(seen);
  });

  test('each collection is a TAXII collection resource', async () => {
    const res = await get('/demo/collections/', 'carol');
    expect(body(res)).toEqual({
      collections: [
        {
          id: DEMO_COLLECTIONS.acmeInternal,
          title: 'ACME internal',
          description: 'Indicators shared inside the ACME group (head office and branches).',
          alias: 'acme-internal',
          can_read: true,
          can_write: false,
          media_types: ['application/stix+json;version=2.1'],
        },
      ],
    });
  });

  test('an API root with no collections for the client answers {} (no empty list)', async () => {
    const res = await get('/empty/collections/', 'operator');
    expect(res.status).toBe(200);
    expect(body(res)).toEqual({});
  });

  test('an unknown API root is 404 as a TAXII error resource', async () => {
    const res = await get('/nowhere/collections/', 'carol');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(body(res)).toMatchObject({ error_code: 'NOT_FOUND', http_status: '404' });
  });

  test('without credentials: 401', async () => {
    const res = await request(hub.app).get('/demo/collections/').set('Accept', TAXII_MEDIA_TYPE);
    expect(res.status).toBe(401);
    expect(body(res)).toMatchObject({ error_code: 'AUTHENTICATION_REQUIRED', http_status: '401' });
  });

  test('without the trailing slash: 404; another method: 405 with Allow', async () => {
    expect((await get('/demo/collections', 'carol')).status).toBe(404);
    const post = await request(hub.app).post('/demo/collections/').set('Authorization', demoAuth('carol'));
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});

describe('TAXII 2.1 Get a Collection (GET /{api-root}/collections/{id}/)', () => {
  test('a visible collection by id, with can_read/can_write for the client', async () => {
    const res = await get(`/demo/collections/${DEMO_COLLECTIONS.isacFeed}/`, 'grace');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(body(res)).toMatchObject({ id: DEMO_COLLECTIONS.isacFeed, alias: 'isac-feed', title: 'Finance ISAC feed', can_read: true, can_write: false });
  });

  test('the alias names the collection as well as its id', async () => {
    const byAlias = await get('/demo/collections/acme-internal/', 'bob');
    const byId = await get(`/demo/collections/${DEMO_COLLECTIONS.acmeInternal}/`, 'bob');
    expect(byAlias.status).toBe(200);
    expect(body(byAlias)).toEqual(body(byId));
    expect(body(byAlias)).toMatchObject({ can_read: true, can_write: true });
  });

  test("another group's collection is 404 (not 403), exactly like one that does not exist", async () => {
    const hidden = await get(`/demo/collections/${DEMO_COLLECTIONS.acmeInternal}/`, 'grace');
    const missing = await get('/demo/collections/00000000-0000-4000-8000-000000000000/', 'grace');
    expect(hidden.status).toBe(404);
    expect(body(hidden)).toMatchObject({ error_code: 'NOT_FOUND', http_status: '404' });
    expect(Object.keys(body(hidden)).sort()).toEqual(Object.keys(body(missing)).sort());
    expect((await get('/demo/collections/acme-internal/', 'erin')).status).toBe(404);
  });

  test('a collection under another API root is not found here', async () => {
    expect((await get('/empty/collections/acme-internal/', 'operator')).status).toBe(404);
  });

  test('without credentials: 401', async () => {
    const res = await request(hub.app).get('/demo/collections/acme-internal/').set('Accept', TAXII_MEDIA_TYPE);
    expect(res.status).toBe(401);
  });
});

describe('collections follow the stored structure', () => {
  test('a collection an operator adds through the admin API is listed for its group at once', async () => {
    const created = await request(hub.app)
      .post('/admin/api/collections')
      .set('Authorization', demoAuth('operator'))
      .send({ api_root: 'demo', title: 'ACME drafts', alias: 'acme-drafts', owner: { trust_group: 'acme-tree' } });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    try {
      expect((await get('/demo/collections/acme-drafts/', 'carol')).status).toBe(200);
      expect((await get('/demo/collections/acme-drafts/', 'grace')).status).toBe(404);
    } finally {
      await request(hub.app).delete(`/admin/api/collections/${id}`).set('Authorization', demoAuth('operator')).expect(204);
    }
    expect((await get('/demo/collections/acme-drafts/', 'carol')).status).toBe(404);
  });
});

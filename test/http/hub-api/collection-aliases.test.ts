import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';

/**
 * A collection's alias is accepted wherever its id is, as TAXII URLs accept it: hub API paths,
 * a submission's `collection`, `collections=` of the pivot, the recipients preview. One resolver
 * answers all of them (src/access/collection-names.ts).
 */

const ACME = DEMO_COLLECTIONS.acmeInternal;
const ALIAS = 'acme-internal';

let hub: DemoConfigHub;
let indicatorId: string;

beforeAll(async () => {
  hub = await startDemoConfigHub('pglite');
});
afterAll(() => hub.close());

const api = (method: 'get' | 'post', path: string, username: string, body?: unknown) => {
  const req = request(hub.app)[method](path).set('Authorization', demoAuth(username));
  return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
};
const errorOf = (res: request.Response) => (res.body as { error: { code: string; message: string; problems?: unknown } }).error;
const submission = (collection: string, value: string) => ({ collection, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'url', value }] });

describe('collection aliases in the hub API', () => {
  test('a submission may name its collection by alias; the answer names the collection by id', async () => {
    const res = await api('post', '/api/submissions', 'bob', submission(ALIAS, 'https://alias-shop.example/login/'));
    expect(res.status).toBe(200);
    const body = res.body as { collection: string; indicators: { id: string; outcome: string }[] };
    expect(body.collection).toBe(ACME);
    expect(body.indicators[0]?.outcome).toBe('created');
    indicatorId = body.indicators[0]?.id as string;
  });

  test('an unknown collection in a submission is a clear 404 on the field, not a pattern error', async () => {
    const res = await api('post', '/api/submissions', 'bob', submission('no-such-collection', 'https://x.example/'));
    expect(res.status).toBe(404);
    expect(errorOf(res)).toEqual({
      code: 'NOT_FOUND',
      title: 'Not found',
      message: 'collection: there is no collection no-such-collection (give the id or alias of a collection you can see)',
      problems: [{ path: 'collection', message: 'no such collection id or alias' }],
    });
  });

  test("a collection the submitter cannot see is answered exactly like one that does not exist, by alias or id", async () => {
    for (const hidden of ['initech-feed', DEMO_COLLECTIONS.initechPrivate]) {
      const res = await api('post', '/api/submissions', 'bob', submission(hidden, 'https://x.example/'));
      expect(res.status).toBe(404);
      expect(errorOf(res).message).toBe(`collection: there is no collection ${hidden} (give the id or alias of a collection you can see)`);
    }
  });

  test('indicator listing, history and lifecycle actions take the alias in the path', async () => {
    const byAlias = await api('get', `/api/collections/${ALIAS}/indicators`, 'alice');
    const byId = await api('get', `/api/collections/${ACME}/indicators`, 'alice');
    expect(byAlias.status).toBe(200);
    expect(byAlias.body).toEqual(byId.body);
    expect((byAlias.body as { indicators: { id: string }[] }).indicators.map((i) => i.id)).toContain(indicatorId);

    const history = await api('get', `/api/collections/${ALIAS}/indicators/${indicatorId}`, 'alice');
    expect(history.status).toBe(200);

    const revoked = await api('post', `/api/collections/${ALIAS}/indicators/${indicatorId}/revoke`, 'bob', { reason: 'taken down' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: indicatorId, collection: ACME, state: 'revoked' });
  });

  test('an unknown alias in a path is a 404 naming it', async () => {
    const res = await api('get', '/api/collections/no-such-alias/indicators', 'alice');
    expect(res.status).toBe(404);
    expect(errorOf(res).message).toBe('There is no collection no-such-alias');
  });

  test('the change feed, sensor feeds and sightings take the alias', async () => {
    const changes = await api('get', `/api/collections/${ALIAS}/changes?from=beginning`, 'alice');
    expect(changes.status).toBe(200);
    expect((changes.body as { events: unknown[] }).events.length).toBeGreaterThan(0);

    const feed = await api('get', `/api/collections/${ALIAS}/feeds/csv`, 'alice');
    expect(feed.status).toBe(200);

    const sightings = await api('get', `/api/collections/${ALIAS}/indicators/${indicatorId}/sightings`, 'bob');
    expect(sightings.status).toBe(200);
  });

  test('collections= of the pivot and the recipients preview take the alias', async () => {
    const pivot = await api('get', `/api/pivot?value=alias-shop.example&collections=${ALIAS}`, 'alice');
    expect(pivot.status).toBe(200);
    const unknown = await api('get', '/api/pivot?value=alias-shop.example&collections=nope', 'alice');
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).problems).toEqual([{ path: 'collections[0]', message: 'no such collection id or alias' }]);

    const preview = await api('get', `/admin/api/collections/${ALIAS}/recipients?provider=acme-east&marking=green`, 'bob');
    expect(preview.status).toBe(200);
    expect(preview.body).toHaveProperty('recipients');
  });

  test('an alias used in two API roots that the caller both sees is refused as ambiguous, with the roots named', async () => {
    const operator = (method: 'post', path: string, body: unknown) => api(method, `/admin/api${path}`, 'operator', body);
    expect((await operator('post', '/api-roots', { id: 'second', title: 'Second root' })).status).toBe(201);
    expect((await operator('post', '/collections', { api_root: 'second', alias: ALIAS, title: 'Another ACME', owner: { trust_group: 'acme-tree' } })).status).toBe(201);

    const res = await api('post', '/api/submissions', 'bob', submission(ALIAS, 'https://y.example/'));
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({
      message: "collection: the alias acme-internal names collections in several API roots (demo, second); give the collection's id instead",
      problems: [{ path: 'collection', message: 'ambiguous alias' }],
    });
    // The id still works, and TAXII, which names the API root, is not ambiguous.
    expect((await api('post', '/api/submissions', 'bob', submission(ACME, 'https://y.example/'))).status).toBe(200);
    const taxii = await request(hub.app).get(`/demo/collections/${ALIAS}/`).set('Authorization', demoAuth('alice')).set('Accept', 'application/taxii+json;version=2.1');
    expect(taxii.status).toBe(200);
    expect((taxii.body as { id: string }).id).toBe(ACME);
  });
});

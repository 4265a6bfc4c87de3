import request from 'supertest';
import { DEMO_COLLECTIONS } from '../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from './support/demo-config-hub';

/**
 * A 403 says what is missing (a role of the caller, a write entitlement of its organization), for a
 * collection the caller can see; a collection it cannot see stays a 404 that says nothing more.
 */

const TAXII = 'application/taxii+json;version=2.1';

let hub: DemoConfigHub;
beforeAll(async () => {
  hub = await startDemoConfigHub('pglite');
});
afterAll(() => hub.close());

const submit = (username: string, collection: string) =>
  request(hub.app)
    .post('/api/submissions')
    .set('Authorization', demoAuth(username))
    .set('Content-Type', 'application/json')
    .send(JSON.stringify({ collection, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'url', value: 'https://forbidden.example/' }] }));
const jsonError = (res: request.Response) => (res.body as { error: { code: string; message: string } }).error;

describe('403 names what is missing', () => {
  test('a consumer without the provider role is told that writing needs the provider role', async () => {
    const res = await submit('carol', 'acme-internal');
    expect(res.status).toBe(403);
    expect(jsonError(res).message).toBe(
      `Writing to collection ${DEMO_COLLECTIONS.acmeInternal} in API root demo needs the provider role, which your account does not have (your organization's administrator grants roles)`,
    );
  });

  test('a provider without the consumer role is told, in the TAXII error resource, that reading needs the consumer role', async () => {
    const res = await request(hub.app).get(`/demo/collections/isac-feed/objects/`).set('Authorization', demoAuth('heidi')).set('Accept', TAXII);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      title: 'Forbidden',
      error_code: 'FORBIDDEN',
      http_status: '403',
      description: "Reading collection isac-feed in API root demo needs the consumer role, which your account does not have (your organization's administrator grants roles)",
    });
  });

  test("a member of the owner's trust group is told that only the owning organization writes to the collection", async () => {
    const res = await submit('alice', 'initech-feed');
    expect(res.status).toBe(403);
    expect(jsonError(res).message).toBe(
      `Your organization reads collection ${DEMO_COLLECTIONS.initechPrivate} in API root demo as a member of its owner's trust groups, but is not one of its writers: only the owning organization writes to it`,
    );
  });

  test('a collection the caller cannot see is still a plain 404, by alias or by id', async () => {
    for (const name of ['initech-feed', DEMO_COLLECTIONS.initechPrivate]) {
      const taxii = await request(hub.app).get(`/demo/collections/${name}/objects/`).set('Authorization', demoAuth('bob')).set('Accept', TAXII);
      expect(taxii.status).toBe(404);
      expect(taxii.body).toEqual({ title: 'Not found', error_code: 'NOT_FOUND', http_status: '404', description: `There is no collection ${name} in API root demo` });
    }
  });

  test('the admin API says which role an action needs', async () => {
    const res = await request(hub.app)
      .post('/admin/api/api-roots')
      .set('Authorization', demoAuth('alice'))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ id: 'mine', title: 'Mine' }));
    expect(res.status).toBe(403);
    expect(jsonError(res).message).toMatch(/: that needs the operator role$/);

    const users = await request(hub.app).get('/admin/api/users?organization=acme-hq').set('Authorization', demoAuth('bob'));
    expect(users.status).toBe(403);
    expect(jsonError(users).message).toMatch(/: that needs the org-admin role of the organization \(or the operator role\)$/);
  });
});

import request from 'supertest';
import { ADMIN, basic, DEMO_BODY_LIMIT, startDemoHub, type AdminClient, type DemoHub } from './demo-hub';

/**
 * What a client gets for a request the admin API cannot carry out: always the admin JSON error form
 * `{error: {code, title, message, problems?}}` with the status of the catalogued error.
 */

let hub: DemoHub;
let op: AdminClient;
beforeAll(async () => {
  hub = await startDemoHub();
  op = hub.as('operator');
});
afterAll(() => hub.close());

function expectValidationFailure(res: request.Response, problems: { path: string; message?: string | RegExp }[]): void {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({
    error: {
      code: 'VALIDATION_FAILED',
      title: 'Validation failed',
      message: expect.any(String),
      problems: problems.map((p) => ({ path: p.path, message: p.message === undefined ? expect.any(String) : typeof p.message === 'string' ? p.message : expect.stringMatching(p.message) })),
    },
  });
  for (const p of problems) expect(res.body.error.message).toContain(p.path);
}

describe('malformed request bodies get 400 naming the field', () => {
  test('an unknown property', async () => {
    expectValidationFailure(await op.post('/organizations', { id: 'x-corp', name: 'X', colour: 'blue' }), [{ path: 'colour', message: 'is not a known property' }]);
  });

  test('a missing required field', async () => {
    expectValidationFailure(await op.post('/users', { username: 'zed', roles: ['consumer'] }), [{ path: 'organization', message: 'is required' }]);
  });

  test('a role that does not exist', async () => {
    expectValidationFailure(await op.post('/users', { username: 'zed', organization: 'initech', roles: ['admin'] }), [
      { path: 'roles[0]', message: 'must be one of "provider", "consumer", "org-admin", "operator"' },
    ]);
  });

  test('an id that is not a slug', async () => {
    expectValidationFailure(await op.post('/organizations', { id: 'X Corp', name: 'X' }), [{ path: 'id', message: /pattern/ }]);
  });

  test('a password that is too short', async () => {
    expectValidationFailure(await op.post('/users', { username: 'zed', organization: 'initech', roles: ['consumer'], password: 'short' }), [
      { path: 'password', message: 'must NOT have fewer than 12 characters' },
    ]);
    expectValidationFailure(await op.patch('/users/frank', { password: 'short' }), [{ path: 'password' }]);
  });

  test('a collection id that is not a version 4 UUID (TAXII 2.1 identifiers are v4)', async () => {
    const v1 = 'c232ab00-9414-11ec-b3c8-9f6bdeced846';
    expectValidationFailure(await op.post('/collections', { id: v1, api_root: 'demo', title: 'T', owner: { organization: 'initech' } }), [{ path: 'id', message: /pattern/ }]);
  });

  test('every problem of a body is reported at once', async () => {
    const res = await op.post('/api-roots', { id: 'Bad Id', max_content_length: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.problems.map((p: { path: string }) => p.path).sort()).toEqual(['id', 'max_content_length', 'title']);
  });

  test('an empty patch is refused', async () => {
    expectValidationFailure(await op.patch('/organizations/acme-hq', {}), [{ path: '(root)' }]);
  });

  test('a reference to something that does not exist is a validation failure of that field', async () => {
    expectValidationFailure(await op.post('/collections', { api_root: 'nowhere', title: 'T', owner: { trust_group: 'nobody' } }), [
      { path: 'api_root', message: "unknown API root 'nowhere'" },
      { path: 'owner.trust_group', message: "unknown trust group 'nobody'" },
    ]);
  });

  test('a body that is not JSON at all gets 400 in the admin form', async () => {
    const res = await op.post('/organizations').set('Content-Type', 'application/json').send('{"id": "x-corp",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'BAD_REQUEST', title: 'Bad request', message: expect.stringContaining('not valid JSON') } });
  });

  test('a body that is not JSON by its content type gets 415 in the admin form', async () => {
    const res = await op.post('/organizations').set('Content-Type', 'application/x-www-form-urlencoded').send('id=x-corp&name=X');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported media type', message: 'send the request body as application/json (not application/x-www-form-urlencoded)' } });
    // A request without a body needs no content type.
    expect((await op.post('/api-keys/0123456789abcdef/revoke')).status).toBe(404);
  });

  test('a body over the size limit gets 413 in the admin form', async () => {
    const res = await op.post('/organizations', { id: 'big-corp', name: 'x'.repeat(DEMO_BODY_LIMIT) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', title: 'Payload too large', message: `The request body is larger than the limit of ${DEMO_BODY_LIMIT} bytes` } });
    expect((await op.get('/organizations/big-corp')).status).toBe(404);
  });
});

test.each([
  ['/organizations/nobody', "organization 'nobody' not found"],
  ['/users/nobody', "user 'nobody' not found"],
  ['/users/00000000-0000-4000-8000-000000000000', "user '00000000-0000-4000-8000-000000000000' not found"],
  ['/users/nobody/api-keys', "user 'nobody' not found"],
  ['/api-keys/0123456789abcdef', "API key '0123456789abcdef' not found"],
  ['/api-roots/nowhere', "API root 'nowhere' not found"],
  ['/collections/00000000-0000-4000-8000-000000000000', "collection '00000000-0000-4000-8000-000000000000' not found"],
  ['/collections/not-a-uuid', "collection 'not-a-uuid' not found"],
  ['/trust-groups/nobody', "trust group 'nobody' not found"],
  ['/no-such-resource', 'There is no resource at /admin/api/no-such-resource'],
])('GET %s of something that does not exist gets 404', async (path, message) => {
  const res = await op.get(path);
  expect(res.status).toBe(404);
  expect(res.body).toEqual({ error: { code: 'NOT_FOUND', title: 'Not found', message } });
});

test('changing or deleting something that does not exist gets 404 too', async () => {
  expect((await op.patch('/organizations/nobody', { name: 'N' })).status).toBe(404);
  expect((await op.delete('/users/nobody')).status).toBe(404);
  expect((await op.post('/api-keys/0123456789abcdef/revoke')).status).toBe(404);
  expect((await op.delete('/trust-groups/nobody')).status).toBe(404);
});

describe('duplicates get 409', () => {
  test.each([
    ['an organization id', '/organizations', { id: 'acme-hq', name: 'Another ACME' }, "an organization with id 'acme-hq' already exists"],
    ['a username', '/users', { username: 'alice', organization: 'initech', roles: ['consumer'] }, "username 'alice' is already taken"],
    ['a collection alias in the same API root', '/collections', { api_root: 'demo', alias: 'isac-feed', title: 'Copy', owner: { organization: 'initech' } }, "alias 'isac-feed' is already used in API root 'demo'"],
    ['an API root id', '/api-roots', { id: 'demo', title: 'Demo again' }, expect.stringContaining("'demo'")],
  ])('%s', async (_what, path, body, message) => {
    const res = await op.post(path, body);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { code: 'CONFLICT', title: 'Conflict', message } });
  });
});

test('deleting an organization that still has users gets 409, and the organization stays', async () => {
  expect((await op.post('/organizations', { id: 'umbrella', name: 'Umbrella' })).status).toBe(201);
  expect((await op.post('/users', { username: 'ursula', organization: 'umbrella', roles: ['consumer'] })).status).toBe(201);
  const res = await op.delete('/organizations/umbrella');
  expect(res.status).toBe(409);
  expect(res.body).toEqual({ error: { code: 'CONFLICT', title: 'Conflict', message: "organization 'umbrella' is still referenced by users" } });
  expect((await op.get('/organizations/umbrella')).body).toEqual({ id: 'umbrella', name: 'Umbrella', parent: null, managed_by: 'admin', declared_in: null });
});

test('deleting an organization that is a trust group member gets 409', async () => {
  await op.post('/organizations', { id: 'soylent', name: 'Soylent' });
  await op.post('/trust-groups', { id: 'food-isac', name: 'Food ISAC', topology: 'horizontal', members: ['soylent', 'initech'] });
  expect((await op.delete('/organizations/soylent')).status).toBe(409);
  expect((await op.get('/organizations/soylent')).status).toBe(200);
});

test.each([
  ['delete', '/organizations', 'GET, POST'],
  ['put', '/organizations/acme-hq', 'GET, PATCH, DELETE'],
  ['post', '/users/alice', 'GET, PATCH, DELETE'],
  ['get', '/api-keys/0123456789abcdef/revoke', 'POST'],
  ['patch', '/audit', 'GET'],
] as const)('%s %s, a method the path does not have, gets 405 with Allow', async (method, path, allow) => {
  const res = await request(hub.app)[method](ADMIN + path).set('Authorization', basic('operator'));
  expect(res.status).toBe(405);
  expect(res.headers.allow).toBe(allow);
  expect(res.body.error).toMatchObject({ code: 'METHOD_NOT_ALLOWED', title: 'Method not allowed' });
});

describe('authentication', () => {
  test.each([
    ['no credentials', undefined],
    ['a wrong password', basic('operator', 'not-the-password')],
    ['an unknown user', basic('mallory', 'mallory-demo-pw')],
    ['a malformed API key', 'Bearer not-a-key'],
    ['an unsupported scheme', 'Digest username="operator"'],
  ])('%s gets 401 with a challenge, in the admin form', async (_what, authorization) => {
    const req = request(hub.app).get(`${ADMIN}/organizations`);
    const res = await (authorization === undefined ? req : req.set('Authorization', authorization));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="taxii-hub", Bearer realm="taxii-hub"');
    expect(res.body).toEqual({ error: { code: 'AUTHENTICATION_REQUIRED', title: 'Authentication required', message: 'Authentication required' } });
  });

  test('an unauthenticated client learns nothing about which paths exist', async () => {
    const res = await request(hub.app).get(`${ADMIN}/no-such-resource`);
    expect(res.status).toBe(401);
  });
});

interface AuditPage {
  entries: unknown[];
}

const auditEntryCount = async (): Promise<number> => ((await op.get('/audit?limit=500')).body as AuditPage).entries.length;

describe('every admin change is one transaction: a change that fails leaves no audit entry', () => {
  test.each([
    ['a trust group that fails validation', '/trust-groups', { id: 'broken', name: 'Broken', topology: 'horizontal', members: ['initech', 'nobody'] }, 400],
    ['a collection with an unknown owner', '/collections', { api_root: 'demo', title: 'Orphan', owner: { organization: 'nobody' } }, 400],
    ['a user in an unknown organization', '/users', { username: 'nemo', organization: 'nowhere', roles: ['consumer'] }, 400],
    ['a duplicate organization', '/organizations', { id: 'acme-hq', name: 'ACME again' }, 409],
    ['an organization whose parent does not exist', '/organizations', { id: 'orphan', name: 'Orphan', parent: 'nobody' }, 400],
  ])('%s', async (_what, path, body, status) => {
    const before = await auditEntryCount();
    expect((await op.post(path, body)).status).toBe(status);
    expect(await auditEntryCount()).toBe(before);
  });

  test('a failed delete leaves the entity and no audit entry', async () => {
    const before = await auditEntryCount();
    expect((await op.delete('/organizations/acme-east')).status).toBe(409);
    expect((await op.delete('/trust-groups/finance-isac')).status).toBe(409);
    expect(await auditEntryCount()).toBe(before);
    expect((await op.get('/trust-groups/finance-isac')).status).toBe(200);
  });
});

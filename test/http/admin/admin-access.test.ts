import request from 'supertest';
import { newApiKeyToken } from '../../../src/auth/api-key-token';
import { hashSecret } from '../../../src/auth/secret-hashing';
import { ADMIN, basic, startDemoHub, type DemoHub } from './demo-hub';

/**
 * Who may do what through the admin API, with the demo users: operator (hub operator), alice
 * (org-admin of acme-hq), bob (acme-east, no admin role), dave (org-admin of globex-hq).
 * Something a principal may not see answers 404, as if it did not exist; something it sees but may
 * not change answers 403.
 * Credentials managed through the admin API take effect on the very next request: a new API key
 * works at once, a revoked one and an old password stop working at once, whatever was cached.
 */

let hub: DemoHub;
beforeAll(async () => {
  hub = await startDemoHub();
});
afterAll(() => hub.close());

const usernames = (body: { users: { username: string }[] }) => body.users.map((u) => u.username).sort();

describe('an org-admin (alice, acme-hq)', () => {
  test('creates and lists the users of her own organization only', async () => {
    const alice = hub.as('alice');
    const created = await alice.post('/users', { username: 'amy', organization: 'acme-hq', roles: ['consumer'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'amy', organization: 'acme-hq', managed_by: 'admin', declared_in: null });

    const listed = await alice.get('/users');
    expect(listed.status).toBe(200);
    expect(usernames(listed.body)).toEqual(['alice', 'amy']);

    // Not even the branches of her organization: acme-east has its own users.
    const inBranch = await alice.post('/users', { username: 'amos', organization: 'acme-east', roles: ['consumer'] });
    expect(inBranch.status).toBe(403);
    expect((await alice.post('/users', { username: 'gus', organization: 'globex-hq', roles: ['consumer'] })).status).toBe(403);
    expect((await hub.as('operator').get('/users/amos')).status).toBe(404);
  });

  test("cannot see another organization's users: 404, as for a user that does not exist", async () => {
    const alice = hub.as('alice');
    const dave = await alice.get('/users/dave');
    expect(dave.status).toBe(404);
    expect(dave.body.error).toEqual({ code: 'NOT_FOUND', title: 'Not found', message: "user 'dave' not found" });
    expect((await alice.patch('/users/dave', { disabled: true })).status).toBe(404);
    expect((await alice.delete('/users/dave')).status).toBe(404);
    expect((await alice.get('/users?organization=globex-hq')).status).toBe(404);
    expect((await alice.get('/organizations/globex-hq')).status).toBe(404);
  });

  test('sees her own organization but cannot create organizations or change the hub structure', async () => {
    const alice = hub.as('alice');
    expect((await alice.get('/organizations')).body).toEqual({ organizations: [{ id: 'acme-hq', name: 'ACME Holdings', parent: null, managed_by: 'config', declared_in: null }] });
    const org = await alice.post('/organizations', { id: 'acme-north', name: 'ACME North', parent: 'acme-hq' });
    expect(org.status).toBe(403);
    expect(org.body.error).toMatchObject({ code: 'FORBIDDEN', title: 'Forbidden' });
    expect((await hub.as('operator').get('/organizations/acme-north')).status).toBe(404);
    expect((await alice.get('/trust-groups')).status).toBe(403);
    expect((await alice.post('/api-roots', { id: 'acme', title: 'ACME' })).status).toBe(403);
    expect((await alice.get('/collections')).status).toBe(403);
  });

  test('cannot hand out the operator role', async () => {
    const res = await hub.as('alice').post('/users', { username: 'eve', organization: 'acme-hq', roles: ['operator'] });
    expect(res.status).toBe(403);
  });

  test('cannot take over an operator who belongs to her organization: no password, key, role or status change', async () => {
    const otto = await hub.as('operator').post('/users', { username: 'otto', organization: 'acme-hq', roles: ['operator'], password: 'otto-long-password' });
    expect(otto.status).toBe(201);
    const alice = hub.as('alice');
    expect((await alice.get('/users/otto')).status).toBe(200);
    expect((await alice.patch('/users/otto', { password: 'taken-over-by-alice' })).status).toBe(403);
    expect((await alice.patch('/users/otto', { roles: ['consumer'] })).status).toBe(403);
    expect((await alice.patch('/users/otto', { disabled: true })).status).toBe(403);
    expect((await alice.delete('/users/otto')).status).toBe(403);
    expect((await alice.post('/users/otto/api-keys', { name: 'backdoor' })).status).toBe(403);

    const ottoKey = await hub.as('operator').post('/users/otto/api-keys', { name: 'otto automation' });
    expect((await alice.get(`/api-keys/${ottoKey.body.id}`)).status).toBe(404);
    expect((await alice.post(`/api-keys/${ottoKey.body.id}/revoke`)).status).toBe(404);
    expect((await alice.get('/api-keys')).body.api_keys.map((k: { id: string }) => k.id)).not.toContain(ottoKey.body.id);
    expect((await request(hub.app).get('/admin/api/whoami').set('Authorization', basic('otto', 'otto-long-password'))).body.roles).toEqual(['operator']);
  });

  test("manages the API keys of her organization's users", async () => {
    const alice = hub.as('alice');
    const key = await alice.post('/users/amy/api-keys', { name: 'feed reader' });
    expect(key.status).toBe(201);
    expect((await alice.get('/api-keys')).body.api_keys.map((k: { id: string }) => k.id)).toContain(key.body.id);
  });
});

describe('a user without an admin role (bob)', () => {
  test('creates, lists and revokes his own API keys', async () => {
    const bob = hub.as('bob');
    const created = await bob.post('/users/bob/api-keys', { name: 'my TAXII client' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^thk_/);
    const own = (await bob.get('/api-keys')).body.api_keys as { id: string; user_id: string }[];
    expect(own.map((k) => k.id)).toContain(created.body.id);
    expect(new Set(own.map((k) => k.user_id)).size).toBe(1); // his own keys only
    const revoked = await bob.post(`/api-keys/${created.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
  });

  test('cannot list or create users, nor manage keys of others', async () => {
    const bob = hub.as('bob');
    const users = await bob.get('/users');
    expect(users.status).toBe(403);
    expect(users.body.error).toMatchObject({ code: 'FORBIDDEN' });
    expect((await bob.post('/users', { username: 'bert', organization: 'acme-east', roles: ['consumer'] })).status).toBe(403);
    expect((await bob.post('/users/carol/api-keys', { name: 'sneaky' })).status).toBe(403);
  });
});

describe('another org-admin (dave, globex-hq)', () => {
  test("cannot see alice's API keys: every way of asking answers 404", async () => {
    const key = await hub.as('alice').post('/users/alice/api-keys', { name: 'alice laptop' });
    expect(key.status).toBe(201);
    const dave = hub.as('dave');
    expect((await dave.get('/users/alice/api-keys')).status).toBe(404);
    expect((await dave.get(`/api-keys/${key.body.id}`)).status).toBe(404);
    expect((await dave.post(`/api-keys/${key.body.id}/revoke`)).status).toBe(404);
    expect((await dave.delete(`/api-keys/${key.body.id}`)).status).toBe(404);
    expect((await dave.post('/users/alice/api-keys', { name: 'hijack' })).status).toBe(404);
    const own = await dave.get('/api-keys');
    expect(own.status).toBe(200);
    expect(own.body.api_keys.map((k: { id: string }) => k.id)).not.toContain(key.body.id);
    expect((await hub.as('alice').get(`/api-keys/${key.body.id}`)).body.status).toBe('active');
  });
});

test('only the operator reads the audit trail', async () => {
  expect((await hub.as('operator').get('/audit')).status).toBe(200);
  for (const user of ['alice', 'bob', 'dave'] as const) {
    const res = await hub.as(user).get('/audit');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN' });
  }
});

const discovery = (authorization: string) => request(hub.app).get('/taxii2/').set('Authorization', authorization);
const whoami = (authorization: string) => request(hub.app).get('/admin/api/whoami').set('Authorization', authorization);

describe('API keys end to end', () => {
  let token: string;
  let keyId: string;

  test('an operator creates a key for bob; the token is shown once and never again', async () => {
    const created = await hub.as('operator').post('/users/bob/api-keys', { name: 'bob TAXII client' });
    expect(created.status).toBe(201);
    token = created.body.token as string;
    keyId = created.body.id as string;
    expect(token).toMatch(new RegExp(`^thk_${keyId}_`));

    const read = await hub.as('operator').get(`/api-keys/${keyId}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('token');
    expect(JSON.stringify(read.body)).not.toContain(token.slice(`thk_${keyId}_`.length));
  });

  test('the key authenticates TAXII requests as bob, as a Bearer or a Token credential', async () => {
    expect((await discovery(`Bearer ${token}`)).status).toBe(200);
    expect((await discovery(`Token ${token}`)).status).toBe(200);
    const me = await whoami(`Bearer ${token}`);
    expect(me.body).toMatchObject({ username: 'bob', organization: 'acme-east', via: 'api-key' });
  });

  test('a key with a wrong secret does not', async () => {
    const forged = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect((await discovery(`Bearer ${forged}`)).status).toBe(401);
  });

  test('after revocation the same token is refused on the very next request', async () => {
    expect((await discovery(`Bearer ${token}`)).status).toBe(200); // verified and cached
    const revoked = await hub.as('operator').post(`/api-keys/${keyId}/revoke`);
    expect(revoked.status).toBe(200);
    const refused = await discovery(`Bearer ${token}`);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/Bearer realm=/);
    expect((await discovery(`Token ${token}`)).status).toBe(401);
  });

  test('a deleted key is refused on the very next request', async () => {
    const created = await hub.as('bob').post('/users/bob/api-keys', { name: 'short-lived' });
    expect((await discovery(`Bearer ${created.body.token}`)).status).toBe(200);
    expect((await hub.as('bob').delete(`/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await discovery(`Bearer ${created.body.token}`)).status).toBe(401);
  });

  test('an expired key is refused, and the admin API reports it as expired', async () => {
    const bob = await hub.store.users.getByUsername('bob');
    if (!bob) throw new Error('demo user bob is missing');
    const issued = newApiKeyToken();
    const createdAt = new Date(Date.now() - 2 * 86_400_000);
    await hub.store.apiKeys.insert({ id: issued.id, userId: bob.id, name: 'expired', createdAt, expiresAt: new Date(Date.now() - 86_400_000), revokedAt: null }, await hashSecret(issued.secret));
    expect((await discovery(`Bearer ${issued.token}`)).status).toBe(401);
    expect((await hub.as('operator').get(`/api-keys/${issued.id}`)).body).toMatchObject({ status: 'expired', revoked_at: null });
  });

  test('a key may not be created already expired', async () => {
    const res = await hub.as('operator').post('/users/bob/api-keys', { name: 'past', expires_at: '2001-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([{ path: 'expires_at', message: 'must be in the future' }]);
  });
});

describe('password changes', () => {
  test('after a password change the old password is refused and the new one works, on the next request', async () => {
    const old = basic('carol');
    expect((await whoami(old)).status).toBe(200); // verified and cached
    const changed = await hub.as('operator').patch('/users/carol', { password: 'carol-brand-new-pw' });
    expect(changed.status).toBe(200);
    expect((await whoami(old)).status).toBe(401);
    expect((await whoami(basic('carol', 'carol-brand-new-pw'))).status).toBe(200);
    expect((await discovery(basic('carol', 'carol-brand-new-pw'))).status).toBe(200);
  });

  test('a disabled user is refused on the next request, with password and API key alike', async () => {
    const op = hub.as('operator');
    const user = await op.post('/users', { username: 'dora', organization: 'initech', roles: ['consumer'], password: 'dora-long-password' });
    expect(user.status).toBe(201);
    const key = await op.post('/users/dora/api-keys', { name: 'dora client' });
    const password = basic('dora', 'dora-long-password');
    expect((await whoami(password)).status).toBe(200);
    expect((await whoami(`Bearer ${key.body.token}`)).status).toBe(200);

    expect((await op.patch('/users/dora', { disabled: true })).status).toBe(200);
    expect((await whoami(password)).status).toBe(401);
    expect((await whoami(`Bearer ${key.body.token}`)).status).toBe(401);

    expect((await op.patch('/users/dora', { disabled: false })).status).toBe(200);
    expect((await whoami(password)).status).toBe(200);
  });

  test("a user's API keys stop working when the user is deleted", async () => {
    const op = hub.as('operator');
    await op.post('/users', { username: 'dexter', organization: 'initech', roles: ['consumer'] });
    const key = await op.post('/users/dexter/api-keys', { name: 'dexter client' });
    expect((await discovery(`Bearer ${key.body.token}`)).status).toBe(200);
    expect((await op.delete('/users/dexter')).status).toBe(204);
    expect((await discovery(`Bearer ${key.body.token}`)).status).toBe(401);
    expect((await op.get(`/api-keys/${key.body.id}`)).status).toBe(404);
  });
});

describe('every user (a plain consumer)', () => {
  test('changes its own password, and nothing else about itself or others', async () => {
    const created = await hub.as('operator').post('/users', { username: 'ezra', organization: 'acme-west', roles: ['consumer'], password: 'ezra-first-password' });
    expect(created.status).toBe(201);
    const as = (password: string) => (method: 'patch', path: string, body: object) =>
      request(hub.app)[method](`${ADMIN}${path}`).set('Authorization', basic('ezra', password)).send(body);
    const ezra = as('ezra-first-password');
    expect((await ezra('patch', '/users/ezra', { roles: ['consumer', 'provider'] })).status).toBe(403);
    expect((await ezra('patch', '/users/bob', { password: 'ezra-sets-bobs-password' })).status).toBe(403);

    expect((await ezra('patch', '/users/ezra', { password: 'ezra-second-password' })).status).toBe(200);
    const discovery = (password: string) => request(hub.app).get('/taxii2/').set('Authorization', basic('ezra', password));
    expect((await discovery('ezra-first-password')).status).toBe(401);
    expect((await discovery('ezra-second-password')).status).toBe(200);
  });
});

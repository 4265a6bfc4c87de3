import request from 'supertest';
import { startDemoHub, type AdminClient, type DemoHub } from './demo-hub';

/**
 * The admin API's resources over HTTP, as an operator uses them: 201 with the stored representation
 * on create, the same representation on every later read, 200 on update, 204 with no body on delete.
 * Then the audit trail of such changes: oldest first, with who made it and what the entity was before
 * and after; read in pages with `after` and `limit`; never a secret in it.
 */

let hub: DemoHub;
let op: AdminClient;
beforeAll(async () => {
  hub = await startDemoHub();
  op = hub.as('operator');
});
afterAll(() => hub.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface AuditJson {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
}

async function audit(query: string): Promise<{ entries: AuditJson[]; next_after?: number; next_before?: number }> {
  const res = await op.get(`/audit${query}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** Reads a resource back and checks it equals what the write answered. */
async function expectStored(path: string, expected: unknown): Promise<void> {
  const res = await op.get(path);
  expect(res.status).toBe(200);
  expect(res.body).toEqual(expected);
}

async function expectDeleted(path: string): Promise<void> {
  const res = await op.delete(path);
  expect(res.status).toBe(204);
  expect(res.text).toBe('');
  expect((await op.get(path)).status).toBe(404);
}

test('whoami tells the caller who it is authenticated as', async () => {
  const res = await hub.as('alice').get('/whoami');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ user_id: expect.stringMatching(UUID), username: 'alice', organization: 'acme-hq', roles: ['provider', 'consumer', 'org-admin'], via: 'basic' });
});

test('the demo configuration is readable through the admin API, marked as managed by the config', async () => {
  const orgs = await op.get('/organizations');
  expect(orgs.status).toBe(200);
  expect(orgs.body.organizations).toContainEqual({ id: 'acme-east', name: 'ACME East', parent: 'acme-hq', managed_by: 'config', declared_in: null });
  const groups = await op.get('/trust-groups');
  expect(groups.body.trust_groups).toContainEqual({
    id: 'acme-globex-alliance',
    name: 'ACME-Globex alliance',
    topology: 'hybrid',
    members: ['acme-hq', 'acme-east', 'globex-hq', 'globex-lab'],
    tree: { 'acme-hq': ['acme-east'], 'globex-hq': ['globex-lab'] },
    peer_links: [{ between: ['acme-hq', 'globex-hq'], pass_down: false }],
    attribution: 'attributed',
    managed_by: 'config',
    declared_in: null,
  });
  const roots = await op.get('/api-roots');
  expect(roots.body).toEqual({ api_roots: [{ id: 'demo', title: 'Demo API root', description: 'Collections of the demo trust groups.', max_content_length: 10485760, managed_by: 'config', declared_in: null }] });
});

test('organizations: create, read, rename, re-parent, list and delete', async () => {
  const created = await op.post('/organizations', { id: 'umbrella', name: 'Umbrella' });
  expect(created.status).toBe(201);
  expect(created.body).toEqual({ id: 'umbrella', name: 'Umbrella', parent: null, managed_by: 'admin', declared_in: null });
  await expectStored('/organizations/umbrella', created.body);

  const child = await op.post('/organizations', { id: 'umbrella-eu', name: 'Umbrella EU', parent: 'umbrella' });
  expect(child.status).toBe(201);
  expect(child.body).toEqual({ id: 'umbrella-eu', name: 'Umbrella EU', parent: 'umbrella', managed_by: 'admin', declared_in: null });

  // A patch changes only the fields it names: renaming keeps the parent.
  const renamed = await op.patch('/organizations/umbrella-eu', { name: 'Umbrella Europe' });
  expect(renamed.status).toBe(200);
  expect(renamed.body).toEqual({ id: 'umbrella-eu', name: 'Umbrella Europe', parent: 'umbrella', managed_by: 'admin', declared_in: null });
  await expectStored('/organizations/umbrella-eu', renamed.body);

  const detached = await op.patch('/organizations/umbrella-eu', { parent: null });
  expect(detached.status).toBe(200);
  expect(detached.body).toEqual({ id: 'umbrella-eu', name: 'Umbrella Europe', parent: null, managed_by: 'admin', declared_in: null });
  await expectStored('/organizations/umbrella-eu', detached.body);

  const listed = await op.get('/organizations');
  expect(listed.body.organizations).toEqual(expect.arrayContaining([created.body, detached.body]));

  await expectDeleted('/organizations/umbrella-eu');
  await expectDeleted('/organizations/umbrella');
});

test('users: create with a password, read by id or username, change roles and status, list, delete', async () => {
  const created = await op.post('/users', { username: 'ursula', organization: 'initech', roles: ['consumer'], password: 'ursula-long-password' });
  expect(created.status).toBe(201);
  expect(created.body).toEqual({ id: expect.stringMatching(UUID), username: 'ursula', organization: 'initech', roles: ['consumer'], disabled: false, managed_by: 'admin', declared_in: null });
  expect(JSON.stringify(created.body)).not.toContain('password');
  const id = created.body.id as string;
  await expectStored(`/users/${id}`, created.body);
  await expectStored('/users/ursula', created.body);

  const updated = await op.patch(`/users/${id}`, { roles: ['provider', 'consumer'], disabled: true });
  expect(updated.status).toBe(200);
  expect(updated.body).toEqual({ ...created.body, roles: ['provider', 'consumer'], disabled: true });
  await expectStored(`/users/${id}`, updated.body);

  const ofInitech = await op.get('/users?organization=initech');
  expect(ofInitech.body.users.map((u: { username: string }) => u.username).sort()).toEqual(['frank', 'ursula']);
  expect((await op.get('/users')).body.users).toContainEqual(updated.body);

  await expectDeleted(`/users/${id}`);
});

test('API keys: the token is returned once at creation, never on later reads; revoke and delete', async () => {
  const created = await op.post('/users/grace/api-keys', { name: 'siem', expires_at: '2999-01-01T00:00:00.000Z' });
  expect(created.status).toBe(201);
  const { token, ...key } = created.body as { token: string; id: string; user_id: string };
  expect(token).toMatch(/^thk_[0-9a-f]{16}_/);
  expect(key).toEqual({ id: expect.any(String), user_id: expect.stringMatching(UUID), name: 'siem', status: 'active', created_at: expect.stringMatching(ISO), expires_at: '2999-01-01T00:00:00.000Z', revoked_at: null });
  expect(token.startsWith(`thk_${key.id}_`)).toBe(true);

  await expectStored(`/api-keys/${key.id}`, key);
  expect((await op.get('/users/grace/api-keys')).body).toEqual({ api_keys: [key] });
  expect((await op.get('/api-keys')).body.api_keys).toContainEqual(key);
  expect(JSON.stringify((await op.get('/api-keys')).body)).not.toContain(token);

  const revoked = await op.post(`/api-keys/${key.id}/revoke`);
  expect(revoked.status).toBe(200);
  expect(revoked.body).toEqual({ ...key, status: 'revoked', revoked_at: expect.stringMatching(ISO) });
  await expectStored(`/api-keys/${key.id}`, revoked.body);
  // Revoking again changes nothing: the first revocation time stays.
  expect((await op.post(`/api-keys/${key.id}/revoke`)).body).toEqual(revoked.body);

  await expectDeleted(`/api-keys/${key.id}`);
  expect((await op.get('/users/grace/api-keys')).body).toEqual({ api_keys: [] });
});

test('API roots: create with the default content length, update, delete', async () => {
  const created = await op.post('/api-roots', { id: 'intel', title: 'Intel' });
  expect(created.status).toBe(201);
  expect(created.body).toEqual({ id: 'intel', title: 'Intel', description: null, max_content_length: 10485760, managed_by: 'admin', declared_in: null });
  await expectStored('/api-roots/intel', created.body);

  const updated = await op.patch('/api-roots/intel', { description: 'Analyst feeds', max_content_length: 2048 });
  expect(updated.status).toBe(200);
  expect(updated.body).toEqual({ id: 'intel', title: 'Intel', description: 'Analyst feeds', max_content_length: 2048, managed_by: 'admin', declared_in: null });
  await expectStored('/api-roots/intel', updated.body);
  expect((await op.get('/api-roots')).body.api_roots).toContainEqual(updated.body);

  await expectDeleted('/api-roots/intel');
});

test('trust groups: each topology has its own shape; vertical members come from the tree', async () => {
  const horizontal = await op.post('/trust-groups', { id: 'peers', name: 'Peers', topology: 'horizontal', members: ['initech', 'vandelay'] });
  expect(horizontal.status).toBe(201);
  expect(horizontal.body).toEqual({ id: 'peers', name: 'Peers', topology: 'horizontal', members: ['initech', 'vandelay'], attribution: 'attributed', managed_by: 'admin', declared_in: null });
  await expectStored('/trust-groups/peers', horizontal.body);

  const vertical = await op.post('/trust-groups', { id: 'globex-tree', name: 'Globex', topology: 'vertical', tree: { 'globex-hq': ['globex-lab'] } });
  expect(vertical.status).toBe(201);
  expect(vertical.body).toEqual({
    id: 'globex-tree',
    name: 'Globex',
    topology: 'vertical',
    members: ['globex-hq', 'globex-lab'],
    tree: { 'globex-hq': ['globex-lab'] },
    attribution: 'attributed',
    managed_by: 'admin',
    declared_in: null,
  });

  const hybrid = await op.post('/trust-groups', {
    id: 'pact',
    name: 'Pact',
    topology: 'hybrid',
    tree: { 'globex-hq': ['globex-lab'], initech: ['vandelay'] },
    peer_links: [{ between: ['globex-hq', 'initech'], pass_down: true }],
  });
  expect(hybrid.status).toBe(201);
  expect(hybrid.body).toEqual({
    id: 'pact',
    name: 'Pact',
    topology: 'hybrid',
    members: ['globex-hq', 'globex-lab', 'initech', 'vandelay'],
    tree: { 'globex-hq': ['globex-lab'], initech: ['vandelay'] },
    peer_links: [{ between: ['globex-hq', 'initech'], pass_down: true }],
    attribution: 'attributed',
    managed_by: 'admin',
    declared_in: null,
  });
  await expectStored('/trust-groups/pact', hybrid.body);

  const renamed = await op.patch('/trust-groups/peers', { name: 'Peers of the ISAC', members: ['initech', 'vandelay', 'globex-hq'] });
  expect(renamed.status).toBe(200);
  expect(renamed.body).toEqual({ id: 'peers', name: 'Peers of the ISAC', topology: 'horizontal', members: ['initech', 'vandelay', 'globex-hq'], attribution: 'attributed', managed_by: 'admin', declared_in: null });
  await expectStored('/trust-groups/peers', renamed.body);

  await expectDeleted('/trust-groups/peers');
  await expectDeleted('/trust-groups/globex-tree');
  await expectDeleted('/trust-groups/pact');
});

test('collections: create with a generated id and default marking, change the owner, delete', async () => {
  const created = await op.post('/collections', { api_root: 'demo', alias: 'vandelay-feed', title: 'Vandelay feed', owner: { organization: 'vandelay' } });
  expect(created.status).toBe(201);
  expect(created.body).toEqual({
    id: expect.stringMatching(UUID),
    api_root: 'demo',
    alias: 'vandelay-feed',
    title: 'Vandelay feed',
    description: null,
    owner: { organization: 'vandelay' },
    default_marking: 'amber',
    unmarked: 'default',
    attribution: 'attributed',
    managed_by: 'admin',
    declared_in: null,
  });
  const id = created.body.id as string;
  await expectStored(`/collections/${id}`, created.body);

  const updated = await op.patch(`/collections/${id}`, { owner: { trust_group: 'finance-isac' }, alias: null, description: 'For the ISAC', default_marking: 'green' });
  expect(updated.status).toBe(200);
  expect(updated.body).toEqual({ ...created.body, owner: { trust_group: 'finance-isac' }, alias: null, description: 'For the ISAC', default_marking: 'green' });
  await expectStored(`/collections/${id}`, updated.body);
  expect((await op.get('/collections')).body.collections).toContainEqual(updated.body);

  const chosen = await op.post('/collections', { id: '3f1b6f7e-9a55-4a63-9d6e-2b1c0a1e5d42', api_root: 'demo', title: 'Chosen id', owner: { organization: 'initech' }, default_marking: 'red' });
  expect(chosen.status).toBe(201);
  expect(chosen.body).toMatchObject({ id: '3f1b6f7e-9a55-4a63-9d6e-2b1c0a1e5d42', alias: null, default_marking: 'red' });

  await expectDeleted(`/collections/${id}`);
  await expectDeleted('/collections/3f1b6f7e-9a55-4a63-9d6e-2b1c0a1e5d42');
});

describe('entities from the declarative configuration', () => {
  test('an organization from the config cannot be changed or deleted through the API (409 naming the config)', async () => {
    for (const res of [await op.patch('/organizations/acme-hq', { name: 'ACME Inc' }), await op.delete('/organizations/acme-hq')]) {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'CONFLICT', title: 'Conflict' });
      expect(res.body.error.message).toContain('declarative configuration');
    }
    expect((await op.get('/organizations/acme-hq')).body).toEqual({ id: 'acme-hq', name: 'ACME Holdings', parent: null, managed_by: 'config', declared_in: null });
  });

  test("a config user's password may be set through the API, but not its roles", async () => {
    const before = (await op.get('/users/heidi')).body;
    const res = await op.patch('/users/heidi', { password: 'heidi-new-password' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(before);
    const roles = await op.patch('/users/heidi', { roles: ['consumer'] });
    expect(roles.status).toBe(409);
    expect(roles.body.error.message).toContain('declarative configuration');
    await expectStored('/users/heidi', before);
  });

  test('config trust groups, collections and API roots are read-only through the API', async () => {
    expect((await op.patch('/trust-groups/finance-isac', { name: 'ISAC' })).status).toBe(409);
    expect((await op.delete('/collections/735988d1-ca7e-4645-96dd-38a00e72e2f4')).status).toBe(409);
    expect((await op.patch('/api-roots/demo', { title: 'Other' })).status).toBe(409);
  });
});

describe('the audit trail', () => {
  test("an organization's changes are listed oldest first, with the actor and before/after", async () => {
    expect((await op.post('/organizations', { id: 'wayne', name: 'Wayne' })).status).toBe(201);
    expect((await op.patch('/organizations/wayne', { name: 'Wayne Enterprises' })).status).toBe(200);
    expect((await hub.as('alice').post('/users', { username: 'annika', organization: 'acme-hq', roles: ['consumer'] })).status).toBe(201);
    expect((await op.delete('/organizations/wayne')).status).toBe(204);

    const { entries } = await audit('?entity_type=organization');
    const ids = entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(entries.every((e) => e.entity_type === 'organization')).toBe(true);
    // The demo config's organizations come first (actor 'config'), the latest changes last.
    expect(entries[0]).toMatchObject({ actor: 'config', action: 'organization.create', before: null });
    expect(entries.slice(-3)).toEqual([
      { id: expect.any(Number), at: expect.any(String), actor: 'operator', action: 'organization.create', entity_type: 'organization', entity_id: 'wayne', before: null, after: expect.objectContaining({ id: 'wayne', name: 'Wayne' }) },
      { id: expect.any(Number), at: expect.any(String), actor: 'operator', action: 'organization.update', entity_type: 'organization', entity_id: 'wayne', before: expect.objectContaining({ name: 'Wayne' }), after: expect.objectContaining({ name: 'Wayne Enterprises' }) },
      { id: expect.any(Number), at: expect.any(String), actor: 'operator', action: 'organization.delete', entity_type: 'organization', entity_id: 'wayne', before: expect.objectContaining({ name: 'Wayne Enterprises' }), after: null },
    ]);
    expect(Date.parse(entries.at(-1)?.at ?? '')).not.toBeNaN();

    const byAlice = await audit('?actor=alice');
    expect(byAlice.entries.map((e) => [e.action, e.entity_type])).toEqual([['user.create', 'user']]);
    expect((await audit('?entity_type=organization&entity_id=wayne')).entries.map((e) => e.action)).toEqual(['organization.create', 'organization.update', 'organization.delete']);
  });

  test('a change made with an API key names the key in the actor', async () => {
    const key = await op.post('/users/operator/api-keys', { name: 'automation' });
    const created = await request(hub.app).post('/admin/api/organizations').set('Authorization', `Bearer ${key.body.token}`).send({ id: 'via-key', name: 'Via key' });
    expect(created.status).toBe(201);
    expect((await audit('?entity_id=via-key')).entries.map((e) => e.actor)).toEqual([`operator (key ${key.body.id})`]);
  });

  describe('keyset paging', () => {
    test('`limit` bounds a page, `next_after` appears only when the page is full, `after` continues', async () => {
      const all = (await audit('?entity_type=organization')).entries;
      expect(all.length).toBeGreaterThan(5);
      const pages: AuditJson[][] = [];
      let query = '?entity_type=organization&limit=5';
      for (;;) {
        const page = await audit(query);
        pages.push(page.entries);
        if (page.entries.length < 5) {
          expect(page.next_after).toBeUndefined();
          break;
        }
        expect(page.next_after).toBe(page.entries.at(-1)?.id);
        query = `?entity_type=organization&limit=5&after=${page.next_after}`;
      }
      expect(pages.flat()).toEqual(all);
    });

    test('order=newest: newest first, `next_before` continues, and the pages hold the same entries in reverse', async () => {
      const all = (await audit('?entity_type=organization')).entries;
      const pages: AuditJson[][] = [];
      let query = '?entity_type=organization&order=newest&limit=5';
      for (;;) {
        const page: { entries: AuditJson[]; next_before?: number } = await audit(query);
        pages.push(page.entries);
        if (page.next_before === undefined) break;
        expect(page.next_before).toBe(page.entries.at(-1)?.id);
        query = `?entity_type=organization&order=newest&limit=5&before=${page.next_before}`;
      }
      expect(pages.flat()).toEqual([...all].reverse());
      const bad = await op.get('/audit?order=sideways');
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('order');
    });

    test('a page that ends exactly at the last entry still offers next_after; the page after it is empty', async () => {
      const all = (await audit('?entity_type=organization')).entries;
      const exact = await audit(`?entity_type=organization&limit=${all.length}`);
      expect(exact.entries).toEqual(all);
      expect(exact.next_after).toBe(all.at(-1)?.id);
      expect(await audit(`?entity_type=organization&after=${exact.next_after}`)).toEqual({ entries: [] });
    });

    test('limit=0 is read as the smallest page, one entry, and still offers next_after', async () => {
      const first = await audit('?limit=0');
      expect(first.entries).toHaveLength(1);
      expect(first.next_after).toBe(first.entries[0]?.id);
    });

    test('a limit or cursor that is not a number gets 400 naming it', async () => {
      for (const [query, name] of [['?limit=ten', 'limit'], ['?after=-1', 'after']] as const) {
        const res = await op.get(`/audit${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.problems).toEqual([{ path: name, message: 'must be a non-negative integer' }]);
      }
    });
  });

  test('the audit trail never holds a password, a password hash or an API key secret', async () => {
    const secret = 'a-password-nobody-guesses';
    const pat = await op.post('/users', { username: 'pat', organization: 'initech', roles: ['consumer'], password: secret });
    await op.patch('/users/pat', { password: `${secret}-2` });
    await op.patch('/users/carol', { password: `${secret}-3` });
    const key = await op.post('/users/pat/api-keys', { name: 'pat client' });
    await op.post(`/api-keys/${key.body.id}/revoke`);

    const text = JSON.stringify(await audit('?limit=500'));
    expect(text).not.toContain(secret);
    expect(text).not.toContain('$argon2');
    expect(text).not.toContain(key.body.token);
    expect(text).not.toContain(String(key.body.token).slice(`thk_${key.body.id}_`.length));
    const trail = await audit(`?entity_type=user&entity_id=${pat.body.id}`);
    expect(trail.entries.map((e) => e.action)).toEqual(['user.create', 'user.update']);
    // That the password was set is recorded, not what it is.
    expect(trail.entries.map((e) => e.after)).toEqual([expect.objectContaining({ password: 'changed' }), expect.objectContaining({ password: 'changed' })]);
  });
});

import { parseApiKeyToken } from '../../../src/auth/api-key-token';
import { verifySecret } from '../../../src/auth/secret-hashing';
import type { HubError } from '../../../src/domain/errors';
import type { Principal } from '../../../src/domain/principal';
import type { Role } from '../../../src/domain/tenancy';
import { createAdminService, type AdminService } from '../../../src/services/admin';
import type { Database } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../src/storage/tenancy-store';
import { openTestDatabase, testEngines } from '../../support/test-databases';

const principal = (username: string, organizationId: string, roles: Role[], userId = `u-${username}`): Principal => ({
  userId,
  username,
  organizationId,
  roles: new Set(roles),
  via: 'basic',
});

const operator = principal('root', 'hub', ['operator']);

async function failure(promise: Promise<unknown>): Promise<HubError> {
  try {
    await promise;
  } catch (error) {
    return error as HubError;
  }
  throw new Error('expected a failure');
}

describe.each(testEngines())('admin service on %s', (engine) => {
  let db: Database;
  let store: TenancyStore;
  let admin: AdminService;
  const forgotten: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    store = createSqlTenancyStore(db);
    admin = createAdminService({ store, credentialEvents: { userCredentialsChanged: (id) => forgotten.push(id), apiKeyChanged: (id) => forgotten.push(id) } });
    await admin.organizations.create(operator, { id: 'hub', name: 'Hub operators', parentId: null });
    await admin.organizations.create(operator, { id: 'acme', name: 'ACME', parentId: null });
    await admin.organizations.create(operator, { id: 'acme-east', name: 'ACME East', parentId: 'acme' });
    await admin.organizations.create(operator, { id: 'globex', name: 'Globex', parentId: null });
  });
  afterAll(() => db.close());

  test('an operator creates an organization and the change is audited with before and after', async () => {
    const org = await admin.organizations.create(operator, { id: 'initech', name: 'Initech', parentId: null });
    expect(org).toEqual({ id: 'initech', name: 'Initech', parentId: null, managedBy: 'admin' });
    const updated = await admin.organizations.update(operator, 'initech', { name: 'Initech Corp' });
    expect(updated.name).toBe('Initech Corp');
    const trail = await admin.audit.list(operator, { entityType: 'organization', entityId: 'initech', limit: 10 });
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ['organization.create', 'root'],
      ['organization.update', 'root'],
    ]);
    expect(trail[1]?.before).toMatchObject({ name: 'Initech' });
    expect(trail[1]?.after).toMatchObject({ name: 'Initech Corp' });
  });

  test('a change that fails writes nothing, not even its audit record', async () => {
    const before = (await admin.audit.list(operator, { limit: 500 })).length;
    const error = await failure(admin.organizations.create(operator, { id: 'acme', name: 'Duplicate', parentId: null }));
    expect(error.code).toBe('CONFLICT');
    expect((await admin.audit.list(operator, { limit: 500 })).length).toBe(before);
  });

  test('an organization cannot become its own ancestor', async () => {
    const error = await failure(admin.organizations.update(operator, 'acme', { parentId: 'acme-east' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.problems?.[0]).toMatchObject({ path: 'parent' });
    expect(error.message).toContain('cycle');
  });

  test('an org-admin manages the users of its own organization only', async () => {
    const acmeAdmin = principal('ann', 'acme', ['org-admin']);
    const bob = await admin.users.create(acmeAdmin, { username: 'bob', organizationId: 'acme', roles: ['consumer'] });
    expect(bob.organizationId).toBe('acme');
    expect((await admin.users.list(acmeAdmin)).map((u) => u.username)).toContain('bob');

    expect((await failure(admin.users.create(acmeAdmin, { username: 'mallory', organizationId: 'globex', roles: ['consumer'] }))).code).toBe('FORBIDDEN');
    const globexUser = await admin.users.create(operator, { username: 'gus', organizationId: 'globex', roles: ['provider'] });
    expect((await failure(admin.users.get(acmeAdmin, globexUser.id))).code).toBe('NOT_FOUND');
    expect((await failure(admin.users.update(acmeAdmin, globexUser.id, { disabled: true }))).code).toBe('NOT_FOUND');
    expect((await failure(admin.users.list(acmeAdmin, { organizationId: 'globex' }))).code).toBe('NOT_FOUND');
  });

  test('only an operator may grant the operator role', async () => {
    const acmeAdmin = principal('ann', 'acme', ['org-admin']);
    expect((await failure(admin.users.create(acmeAdmin, { username: 'eve', organizationId: 'acme', roles: ['operator'] }))).code).toBe('FORBIDDEN');
    const carol = await admin.users.create(operator, { username: 'carol', organizationId: 'hub', roles: ['operator'] });
    expect(carol.roles).toEqual(['operator']);
  });

  test('a consumer may not administer users or hub structure', async () => {
    const consumer = principal('cid', 'acme', ['consumer']);
    expect((await failure(admin.users.list(consumer))).code).toBe('FORBIDDEN');
    expect((await failure(admin.organizations.create(consumer, { id: 'x', name: 'X', parentId: null }))).code).toBe('FORBIDDEN');
    expect((await failure(admin.trustGroups.list(consumer))).code).toBe('FORBIDDEN');
    expect((await failure(admin.audit.list(consumer, { limit: 10 }))).code).toBe('FORBIDDEN');
  });

  test('a password change is stored as a hash, kept out of the audit trail, and drops cached verifications', async () => {
    const dave = await admin.users.create(operator, { username: 'dave', organizationId: 'acme', roles: ['consumer'], password: 'first-password-123' });
    await admin.users.update(operator, 'dave', { password: 'second-password-456' });
    const hash = await store.users.getPasswordHash(dave.id);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifySecret(hash as string, 'second-password-456')).toBe(true);
    expect(forgotten).toContain(dave.id);
    const trail = JSON.stringify(await admin.audit.list(operator, { entityType: 'user', entityId: dave.id, limit: 10 }));
    expect(trail).not.toContain('second-password-456');
    expect(trail).not.toContain(hash as string);
  });

  test('an API key is shown once, stored hashed, and can be revoked by its own user', async () => {
    const erin = await admin.users.create(operator, { username: 'erin', organizationId: 'acme', roles: ['consumer'] });
    const self = principal('erin', 'acme', ['consumer'], erin.id);
    const issued = await admin.apiKeys.create(self, 'erin', { name: 'siem', expiresAt: null });
    const parsed = parseApiKeyToken(issued.token);
    expect(parsed?.id).toBe(issued.key.id);
    const stored = await store.apiKeys.getCredentials(issued.key.id);
    expect(stored?.secretHash).not.toContain(parsed?.secret as string);
    expect(await verifySecret(stored?.secretHash as string, parsed?.secret as string)).toBe(true);

    const stranger = principal('gus', 'globex', ['consumer', 'org-admin']);
    expect((await failure(admin.apiKeys.revoke(stranger, issued.key.id))).code).toBe('NOT_FOUND');
    const revoked = await admin.apiKeys.revoke(self, issued.key.id);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(forgotten).toContain(issued.key.id);
    expect((await admin.apiKeys.list(self)).map((k) => k.id)).toEqual([issued.key.id]);
  });

  test('an API key cannot expire in the past', async () => {
    const error = await failure(admin.apiKeys.create(operator, 'erin', { name: 'old', expiresAt: new Date(Date.now() - 1000) }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.problems?.[0]?.path).toBe('expires_at');
  });

  test('trust groups are checked for their structure before they are stored', async () => {
    const bad = await failure(
      admin.trustGroups.create(operator, { id: 'loop', name: 'Loop', topology: 'vertical', members: [], tree: { acme: ['acme-east'], 'acme-east': ['acme'] }, peerLinks: [] }),
    );
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.message).toContain('cycle');
    const unknown = await failure(admin.trustGroups.create(operator, { id: 'peers', name: 'Peers', topology: 'horizontal', members: ['acme', 'nobody'], tree: {}, peerLinks: [] }));
    expect(unknown.details.problems).toEqual([{ path: 'members[1]', message: "unknown organization 'nobody'" }]);

    const tree = await admin.trustGroups.create(operator, { id: 'acme-tree', name: 'ACME', topology: 'vertical', members: [], tree: { acme: ['acme-east'] }, peerLinks: [] });
    expect([...tree.members].sort()).toEqual(['acme', 'acme-east']);
    expect((await failure(admin.organizations.remove(operator, 'acme-east'))).code).toBe('CONFLICT');
  });

  test('collections need an existing API root and owner', async () => {
    await admin.apiRoots.create(operator, { id: 'intel', title: 'Intel', description: null });
    const missing = await failure(
      admin.collections.create(operator, { apiRootId: 'intel', alias: null, title: 'Feed', description: null, owner: { kind: 'trust-group', id: 'ghost' } }),
    );
    expect(missing.details.problems).toEqual([{ path: 'owner.trust_group', message: "unknown trust group 'ghost'" }]);
    const feed = await admin.collections.create(operator, { apiRootId: 'intel', alias: 'feed', title: 'Feed', description: null, owner: { kind: 'organization', id: 'acme' } });
    expect(feed.defaultMarking).toBe('amber');
    expect((await failure(admin.apiRoots.remove(operator, 'intel'))).code).toBe('CONFLICT');
  });

  test('entities from the declarative config are read-only through the admin API', async () => {
    await store.organizations.insert({ id: 'declared', name: 'Declared', parentId: null, managedBy: 'config' });
    const error = await failure(admin.organizations.update(operator, 'declared', { name: 'Renamed' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('declarative configuration');
    expect((await failure(admin.organizations.remove(operator, 'declared'))).code).toBe('CONFLICT');
  });
});

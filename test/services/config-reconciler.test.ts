import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { attributionOf, compilePolicy, type CompiledPolicy } from '../../src/access';
import { verifySecret } from '../../src/auth/secret-hashing';
import type { HubConfig } from '../../src/config/hub-config';
import { loadHubConfig } from '../../src/config/load-hub-config';
import { validateHubConfig } from '../../src/config/validate-hub-config';
import { isHubError } from '../../src/domain/errors';
import { formatReconcileReport, reconcileConfig, RECONCILED_KINDS, type ReconcileReport } from '../../src/services/config-reconciler';
import type { Database } from '../../src/storage/sql/database';
import { readPolicySnapshot } from '../../src/storage/sql/repositories/policy-state';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import type { AuditEntry, TenancyStore } from '../../src/storage/tenancy-store';
import { openTestDatabase, testEngines } from '../support/test-databases';
import { ALICE_HASH, ALICE_PASSWORD, validConfig, type RawConfig } from '../config/valid-config';

function configFrom(raw: RawConfig): HubConfig {
  const result = validateHubConfig(raw);
  if (!result.ok) throw new Error(`invalid test config: ${JSON.stringify(result.errors)}`);
  return result.config;
}

async function auditTrail(store: TenancyStore): Promise<AuditEntry[]> {
  return store.audit.list({ limit: 10_000 });
}

/** The policy as a hub process compiles it: from one snapshot of the stored tenancy. */
async function storedPolicy(db: Database): Promise<CompiledPolicy> {
  const result = compilePolicy(await readPolicySnapshot(db));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.policy;
}

const WEST_OWN = '5b0e3c1a-9d2f-4e8b-a7c6-1f2e3d4c5b6a';
const LAB_OWN = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

/** validConfig with sharing settings: isac hides attribution, isac-feed refuses unmarked objects, acme-west's own feed is hidden on its own. */
function sharingConfig(): RawConfig {
  const raw = validConfig();
  raw.trust_groups[0]!.attribution = 'hidden';
  raw.collections[0]!.unmarked = 'refuse';
  raw.collections.push(
    { id: WEST_OWN, api_root: 'demo', title: 'ACME West', owner: { organization: 'acme-west' }, default_marking: 'amber', attribution: 'hidden' },
    { id: LAB_OWN, api_root: 'demo', title: 'Globex Lab', owner: { organization: 'globex-lab' }, default_marking: 'amber' },
  );
  return raw;
}

function totalChanges(report: ReconcileReport): number {
  return RECONCILED_KINDS.reduce((sum, kind) => sum + report.counts[kind].created + report.counts[kind].updated + report.counts[kind].deleted, 0);
}

describe.each(testEngines())('reconcileConfig on %s', (engine) => {
  let db: Database;
  let store: TenancyStore;

  beforeEach(async () => {
    db = await openTestDatabase(engine);
    store = createSqlTenancyStore(db);
  });
  afterEach(async () => {
    await db.close();
  });

  test('creates every entity of the config, each with an audit entry by actor "config"', async () => {
    const report = await reconcileConfig(store, configFrom(validConfig()));
    expect(report.counts.organizations).toEqual({ created: 6, updated: 0, deleted: 0, unchanged: 0 });
    expect(report.counts.users.created).toBe(2);
    expect(report.counts.trustGroups.created).toBe(3);
    expect(report.counts.collections.created).toBe(2);
    expect(report.counts.apiRoots.created).toBe(1);
    expect(report.passwordsSet).toBe(1);
    expect(report.changed).toBe(true);

    expect((await store.organizations.get('acme-east'))).toEqual({ id: 'acme-east', name: 'ACME East', parentId: 'acme-hq', managedBy: 'config' });
    expect(await store.trustGroups.get('alliance')).toMatchObject({ topology: 'hybrid', members: ['acme-hq', 'acme-east', 'globex-hq', 'globex-lab'] });
    const audit = await auditTrail(store);
    expect(audit).toHaveLength(totalChanges(report));
    expect(audit.every((entry) => entry.actor === 'config')).toBe(true);
    expect(audit).toContainEqual(expect.objectContaining({ action: 'organization.create', entityType: 'organization', entityId: 'initech', before: null }));
  });

  test('a password hash from the config is stored, and the audit trail never holds it', async () => {
    await reconcileConfig(store, configFrom(validConfig()));
    const alice = await store.users.getByUsername('alice');
    expect(await store.users.getPasswordHash(alice!.id)).toBe(ALICE_HASH);
    await expect(verifySecret(ALICE_HASH, ALICE_PASSWORD)).resolves.toBe(true);
    const audit = JSON.stringify(await auditTrail(store));
    expect(audit).not.toContain('$argon2');
    expect(audit).toContain('"password":"changed"');
  });

  test('a second run over the same config changes nothing and writes no audit entry', async () => {
    const config = configFrom(validConfig());
    await reconcileConfig(store, config);
    const auditBefore = await auditTrail(store);
    const second = await reconcileConfig(store, config);
    expect(second.changed).toBe(false);
    expect(second.passwordsSet).toBe(0);
    expect(second.counts.organizations).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 6 });
    expect(second.counts.trustGroups.unchanged).toBe(3);
    expect(second.counts.collections.unchanged).toBe(2);
    expect(second.counts.users.unchanged).toBe(2);
    expect(formatReconcileReport(second)).toBe('no changes');
    expect(await auditTrail(store)).toEqual(auditBefore);
  });

  test('the demo configuration applies, and applies again without changes', async () => {
    const loaded = await loadHubConfig(path.resolve(__dirname, '../../collections'));
    if (!loaded.ok) throw new Error('the demo configuration is invalid');
    expect((await reconcileConfig(store, loaded.config)).changed).toBe(true);
    expect((await reconcileConfig(store, loaded.config)).changed).toBe(false);
  });

  test('a changed field is updated, and the audit entry holds before and after', async () => {
    await reconcileConfig(store, configFrom(validConfig()));
    const raw = validConfig();
    raw.organizations[5]!.name = 'Initech Corporation';
    raw.trust_groups[0]!.members = ['acme-hq', 'initech'];
    raw.users[1]!.roles = ['consumer', 'provider'];
    const report = await reconcileConfig(store, configFrom(raw));
    expect(report.counts.organizations).toEqual({ created: 0, updated: 1, deleted: 0, unchanged: 5 });
    expect(report.counts.trustGroups.updated).toBe(1);
    expect(report.counts.users.updated).toBe(1);
    expect(formatReconcileReport(report)).toBe('organizations: 1 updated; users: 1 updated; trust groups: 1 updated');
    expect(await store.organizations.get('initech')).toMatchObject({ name: 'Initech Corporation' });
    expect(await store.trustGroups.get('isac')).toMatchObject({ members: ['acme-hq', 'initech'] });
    const updates = (await auditTrail(store)).filter((entry) => entry.action === 'organization.update');
    expect(updates).toEqual([
      expect.objectContaining({ entityId: 'initech', before: expect.objectContaining({ name: 'Initech' }), after: expect.objectContaining({ name: 'Initech Corporation' }) }),
    ]);
  });

  test('unmarked and attribution go from the YAML into the store and the compiled policy, and a second run changes nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sharing-config-'));
    try {
      await writeFile(path.join(dir, 'hub.yaml'), stringify(sharingConfig()));
      const loaded = await loadHubConfig(dir);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      await reconcileConfig(store, loaded.config);

      expect(await store.trustGroups.get('isac')).toMatchObject({ attribution: 'hidden' });
      expect(await store.trustGroups.get('acme-tree')).toMatchObject({ attribution: 'attributed' });
      const [isacFeed, initechOwn] = [validConfig().collections[0]!.id as string, validConfig().collections[1]!.id as string];
      expect(await store.collections.get(isacFeed)).toMatchObject({ unmarked: 'refuse', attribution: 'attributed' });
      expect(await store.collections.get(initechOwn)).toMatchObject({ unmarked: 'default', attribution: 'attributed' });
      expect(await store.collections.get(WEST_OWN)).toMatchObject({ unmarked: 'default', attribution: 'hidden' });

      const policy = await storedPolicy(db);
      expect(attributionOf(policy, isacFeed)).toBe('hidden'); // its owning group hides
      expect(attributionOf(policy, initechOwn)).toBe('hidden'); // its owner is a member of a hiding group
      expect(attributionOf(policy, WEST_OWN)).toBe('hidden'); // hidden on its own; acme-west is in no hiding group
      expect(attributionOf(policy, LAB_OWN)).toBe('attributed'); // globex-lab is only in the alliance
      expect(policy.collections.get(isacFeed)?.collection.unmarked).toBe('refuse');

      expect((await reconcileConfig(store, loaded.config)).changed).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a changed unmarked or attribution is updated and audited with before and after, and the policy follows', async () => {
    await reconcileConfig(store, configFrom(validConfig()));
    const initechOwn = validConfig().collections[1]!.id as string;
    expect(attributionOf(await storedPolicy(db), initechOwn)).toBe('attributed');

    const raw = validConfig();
    raw.trust_groups[0]!.attribution = 'hidden';
    raw.collections[1]!.unmarked = 'refuse';
    const report = await reconcileConfig(store, configFrom(raw));
    expect(formatReconcileReport(report)).toBe('trust groups: 1 updated; collections: 1 updated');
    const audit = await auditTrail(store);
    expect(audit.filter((entry) => entry.action.endsWith('.update'))).toEqual([
      expect.objectContaining({ action: 'trust-group.update', entityId: 'isac', before: expect.objectContaining({ attribution: 'attributed' }), after: expect.objectContaining({ attribution: 'hidden' }) }),
      expect.objectContaining({ action: 'collection.update', entityId: initechOwn, before: expect.objectContaining({ unmarked: 'default' }), after: expect.objectContaining({ unmarked: 'refuse' }) }),
    ]);
    expect(audit.every((entry) => entry.actor === 'config')).toBe(true);
    expect(attributionOf(await storedPolicy(db), initechOwn)).toBe('hidden');
    expect((await reconcileConfig(store, configFrom(raw))).changed).toBe(false);

    // Left out again, both settings go back to their defaults.
    const back = await reconcileConfig(store, configFrom(validConfig()));
    expect(formatReconcileReport(back)).toBe('trust groups: 1 updated; collections: 1 updated');
    expect(await store.collections.get(initechOwn)).toMatchObject({ unmarked: 'default', attribution: 'attributed' });
    expect(attributionOf(await storedPolicy(db), initechOwn)).toBe('attributed');
  });

  test('entities removed from the config are deleted, the API keys of a removed user first', async () => {
    await reconcileConfig(store, configFrom(validConfig()));
    const bob = await store.users.getByUsername('bob');
    await store.apiKeys.insert({ id: '0123456789abcdef', userId: bob!.id, name: 'bob laptop', createdAt: new Date(), expiresAt: null, revokedAt: null }, ALICE_HASH);

    const raw = validConfig();
    raw.users.splice(1, 1); // bob
    raw.collections.splice(1, 1); // initech-own
    raw.organizations.splice(2, 1); // acme-west
    raw.trust_groups[1]!.tree = { 'acme-hq': ['acme-east'] };
    raw.trust_groups.splice(0, 1); // isac, whose collection moves to an organization
    raw.collections[0]!.owner = { organization: 'acme-hq' };
    const report = await reconcileConfig(store, configFrom(raw));

    expect(report.counts.users.deleted).toBe(1);
    expect(report.counts.apiKeys.deleted).toBe(1);
    expect(report.counts.collections.deleted).toBe(1);
    expect(report.counts.organizations.deleted).toBe(1);
    expect(report.counts.trustGroups.deleted).toBe(1);
    expect(await store.collections.list()).toEqual([expect.objectContaining({ alias: 'isac-feed', owner: { kind: 'organization', id: 'acme-hq' } })]);
    expect(await store.users.getByUsername('bob')).toBeUndefined();
    expect(await store.organizations.get('acme-west')).toBeUndefined();
    const actions = (await auditTrail(store)).filter((entry) => entry.action.endsWith('.delete')).map((entry) => entry.action);
    expect(actions).toEqual(['collection.delete', 'trust-group.delete', 'api-key.delete', 'user.delete', 'organization.delete']);
  });

  test('entities created through the admin API are left alone', async () => {
    await store.organizations.insert({ id: 'wayne', name: 'Wayne Enterprises', parentId: null, managedBy: 'admin' });
    await store.users.insert({ id: '3b7e1c2a-4d5f-4a6b-8c9d-0e1f2a3b4c5d', username: 'bruce', organizationId: 'wayne', roles: ['consumer'], disabled: false, managedBy: 'admin' });
    await reconcileConfig(store, configFrom(validConfig()));
    const report = await reconcileConfig(store, configFrom({ ...validConfig(), users: [], collections: [], trust_groups: [], organizations: [] }));
    expect(report.counts.organizations.deleted).toBe(6);
    expect(await store.organizations.list()).toEqual([{ id: 'wayne', name: 'Wayne Enterprises', parentId: null, managedBy: 'admin' }]);
    expect(await store.users.getByUsername('bruce')).toMatchObject({ managedBy: 'admin' });
  });

  test('declaring an id the admin API created is a conflict, and nothing is written', async () => {
    await store.organizations.insert({ id: 'initech', name: 'Initech (admin)', parentId: null, managedBy: 'admin' });
    const error = await reconcileConfig(store, configFrom(validConfig())).catch((e: unknown) => e);
    expect(isHubError(error) && error.code).toBe('CONFLICT');
    expect(isHubError(error) && error.details.problems).toEqual([
      { path: 'organizations.initech', message: expect.stringContaining("organization 'initech' exists and is managed through the admin API") },
    ]);
    expect(await store.organizations.list()).toHaveLength(1);
    expect(await auditTrail(store)).toEqual([]);
  });

  test('removing a config organization that an admin-managed user belongs to is a conflict', async () => {
    await reconcileConfig(store, configFrom(validConfig()));
    await store.users.insert({ id: '3b7e1c2a-4d5f-4a6b-8c9d-0e1f2a3b4c5d', username: 'peter', organizationId: 'initech', roles: ['consumer'], disabled: false, managedBy: 'admin' });
    const raw = validConfig();
    raw.organizations.splice(5, 1);
    raw.trust_groups[0]!.members = ['acme-hq', 'globex-hq'];
    raw.collections.splice(1, 1);
    const error = await reconcileConfig(store, configFrom(raw)).catch((e: unknown) => e);
    expect(isHubError(error) && error.details.problems).toEqual([
      { path: 'organizations.initech', message: expect.stringContaining("user 'peter' is managed through the admin API and still depends on organization 'initech'") },
    ]);
    expect(await store.organizations.get('initech')).toBeDefined();
  });

  test('a password from the environment is hashed once and rehashed only when the variable changes', async () => {
    const raw = validConfig();
    raw.users[1]!.password_env = 'BOB_PASSWORD';
    const config = configFrom(raw);
    await reconcileConfig(store, config, { env: { BOB_PASSWORD: 'first-pw' } });
    const bob = await store.users.getByUsername('bob');
    const firstHash = await store.users.getPasswordHash(bob!.id);
    expect(await verifySecret(firstHash!, 'first-pw')).toBe(true);

    expect((await reconcileConfig(store, config, { env: { BOB_PASSWORD: 'first-pw' } })).passwordsSet).toBe(0);
    expect(await store.users.getPasswordHash(bob!.id)).toBe(firstHash);

    const third = await reconcileConfig(store, config, { env: { BOB_PASSWORD: 'second-pw' } });
    expect(third.passwordsSet).toBe(1);
    expect(await verifySecret((await store.users.getPasswordHash(bob!.id))!, 'second-pw')).toBe(true);
    expect(JSON.stringify(await auditTrail(store))).not.toMatch(/first-pw|second-pw/);
  });

  test('a password variable that is not set is an error before anything is written', async () => {
    const raw = validConfig();
    raw.users[0] = { username: 'alice', organization: 'acme-hq', roles: ['consumer'], password_env: 'ALICE_PASSWORD' };
    const error = await reconcileConfig(store, configFrom(raw), { env: {} }).catch((e: unknown) => e);
    expect(isHubError(error) && error.code).toBe('VALIDATION_FAILED');
    expect(String((error as Error).message)).toContain('ALICE_PASSWORD is not set');
    expect(await store.organizations.list()).toEqual([]);
  });
});

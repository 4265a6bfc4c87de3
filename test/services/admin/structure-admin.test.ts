import type { Principal } from '../../../src/domain/principal';
import { createAdminService, type AdminService } from '../../../src/services/admin';
import type { Database } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { openTestDatabase, testEngines } from '../../support/test-databases';

const operator: Principal = { userId: 'u-root', username: 'root', organizationId: 'hub', roles: new Set(['operator']), via: 'basic' };

/** Expects a VALIDATION_FAILED error with exactly these problems. */
async function expectProblems(promise: Promise<unknown>, problems: unknown[]): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { problems } });
}

describe.each(testEngines())('hub structure through the admin service on %s', (engine) => {
  let db: Database;
  let admin: AdminService;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    admin = createAdminService({ store: createSqlTenancyStore(db) });
    for (const id of ['hub', 'acme', 'acme-east', 'acme-west', 'globex']) await admin.organizations.create(operator, { id, name: id, parentId: null });
  });
  afterAll(() => db.close());

  test('an API root cannot take an id the hub serves itself, and nothing is stored', async () => {
    for (const id of ['admin', 'healthz', 'Taxii2']) {
      await expectProblems(admin.apiRoots.create(operator, { id, title: 'Shadowing', description: null }), [{ path: 'id', message: expect.stringContaining('is reserved') }]);
    }
    expect(await admin.apiRoots.list(operator)).toEqual([]);
    expect(await admin.audit.list(operator, { entityType: 'api-root', limit: 10 })).toEqual([]);
  });

  test('a vertical group that lists members is rejected: its members come from its tree', async () => {
    await expectProblems(admin.trustGroups.create(operator, { id: 'listed', name: 'Listed', topology: 'vertical', members: ['acme'], tree: { acme: ['acme-east'] }, peerLinks: [] }), [
      { path: 'members', message: 'the members of a vertical group are the organizations in its tree; remove members' },
    ]);
  });

  test('a tree group keeps members derived from its tree through changes that do not list members', async () => {
    await admin.trustGroups.create(operator, { id: 'acme-tree', name: 'ACME', topology: 'vertical', members: [], tree: { acme: ['acme-east'] }, peerLinks: [] });
    const renamed = await admin.trustGroups.update(operator, 'acme-tree', { name: 'ACME group' });
    expect([...renamed.members].sort()).toEqual(['acme', 'acme-east']);
    const grown = await admin.trustGroups.update(operator, 'acme-tree', { tree: { acme: ['acme-east', 'acme-west'] } });
    expect([...grown.members].sort()).toEqual(['acme', 'acme-east', 'acme-west']);
  });

  test('trust group problems carry paths inside the request: each cycle once, duplicate peer links', async () => {
    await expectProblems(admin.trustGroups.create(operator, { id: 'loop', name: 'Loop', topology: 'vertical', members: [], tree: { acme: ['acme-east'], 'acme-east': ['acme'] }, peerLinks: [] }), [
      { path: 'tree.acme', message: 'cycle in tree: acme -> acme-east -> acme' },
    ]);
    const links = [{ between: ['acme', 'globex'] as const, passDown: false }, { between: ['globex', 'acme'] as const, passDown: true }];
    await expectProblems(admin.trustGroups.create(operator, { id: 'twice', name: 'Twice', topology: 'hybrid', members: [], tree: { acme: ['acme-west'], globex: [] }, peerLinks: links }), [
      { path: 'peer_links[1]', message: "duplicate peer link between 'globex' and 'acme'" },
    ]);
  });
});

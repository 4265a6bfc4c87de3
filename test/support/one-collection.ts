import type { EngineName, Database } from '../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import { openTestDatabase } from './test-databases';

/**
 * A scratch test database on `engine` holding one collection (`collectionId`, AMBER by default,
 * attributed, title 'c') of organization 'hq' under API root 'root': what a store test over a
 * single collection needs before its rows can point at it.
 */
export async function openWithOneCollection(engine: EngineName, collectionId: string): Promise<Database> {
  const db = await openTestDatabase(engine);
  const tenancy = createSqlTenancyStore(db);
  await tenancy.organizations.insert({ id: 'hq', name: 'HQ', parentId: null, managedBy: 'admin' });
  await tenancy.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
  await tenancy.collections.insert({ id: collectionId, apiRootId: 'root', alias: null, title: 'c', description: null, owner: { kind: 'organization', id: 'hq' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
  return db;
}

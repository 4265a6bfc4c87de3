import { randomUUID } from 'node:crypto';
import type { Database, EngineName } from '../../../src/storage/sql/database';
import type { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { collection, org } from '../../access/fixture-hub';
import { openTestDatabase } from '../../support/test-databases';

/**
 * For the subscription and webhook store tests: a fresh database on this engine holding organizations
 * hq, east and west, API root `root` and hq's collection `collectionId`.
 */
export async function openSeededDatabase(engine: EngineName, collectionId: string): Promise<Database> {
  const db = await openTestDatabase(engine);
  const tenancy = createSqlTenancyStore(db);
  for (const id of ['hq', 'east', 'west']) await tenancy.organizations.insert(org(id));
  await tenancy.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
  await tenancy.collections.insert({ ...collection(collectionId, { kind: 'organization', id: 'hq' }), managedBy: 'admin' });
  return db;
}

/** Appends a new indicator (hq's, green) of this version to the collection; the label it was added at. */
export async function appendIndicator(objects: SqlObjectStore, collectionId: string, version: number): Promise<number> {
  const id = `indicator--${randomUUID()}`;
  const [outcome] = await objects.append(collectionId, [{ id, type: 'indicator', specVersion: '2.1', version, providerOrgId: 'hq', tlp: 'green', recipients: [], object: { type: 'indicator', id } }], version);
  if (outcome?.kind !== 'added') throw new Error('not added');
  return outcome.dateAdded;
}

import { randomUUID } from 'node:crypto';
import type { ResultSet } from '../../../src/storage/result-set-store';
import type { Database } from '../../../src/storage/sql/database';
import { SqlResultSetStore } from '../../../src/storage/sql/sql-result-set-store';
import { openWithOneCollection } from '../../support/one-collection';
import { testEngines } from '../../support/test-databases';

const T0 = 1_700_000_000_000_000;

/** The TAXII 1.1 result-set store (migration 011): MP-05 immutable snapshots, MP-06/MT-02 owners, expiry. */
describe.each(testEngines())('the result-set store on %s', (engine) => {
  let db: Database;
  let store: SqlResultSetStore;
  const collectionId = randomUUID();

  const set = (overrides: Partial<ResultSet> = {}): ResultSet => ({
    id: randomUUID(),
    collectionId,
    ownerOrgId: 'east',
    ownerUserId: 'u-bob',
    exclusiveBegin: T0,
    inclusiveEnd: T0 + 30,
    cuts: [T0 + 10, T0 + 20, T0 + 30],
    totalCount: 25,
    partSize: 10,
    contentBinding: 'urn:stix.mitre.org:xml:1.2',
    subscriptionId: 'sub-1',
    scopeKey: '{"kind":"all"}',
    createdAt: 1_000,
    expiresAt: 2_000,
    ...overrides,
  });

  beforeAll(async () => {
    db = await openWithOneCollection(engine, collectionId);
    store = new SqlResultSetStore(db);
  });
  afterAll(() => db.close());

  test('a stored set reads back as it was made, cuts (microsecond labels) included (MP-05)', async () => {
    const made = set();
    await store.create(made);
    expect(await store.get(made.id, 'east')).toEqual(made);
  });

  test('a set without begin or subscription reads back without them', async () => {
    const { exclusiveBegin: _b, subscriptionId: _s, ...rest } = set();
    await store.create(rest);
    const read = await store.get(rest.id, 'east');
    expect(read).toEqual(rest);
    expect(read && 'exclusiveBegin' in read).toBe(false);
  });

  test('another organization asking for a set is told nothing of it (MP-06, MT-02)', async () => {
    const made = set();
    await store.create(made);
    expect(await store.get(made.id, 'west')).toBeUndefined();
    expect(await store.get('not-a-uuid', 'east')).toBeUndefined();
  });

  test('expired sets are deleted, the others kept', async () => {
    const old = set({ expiresAt: 5_000 });
    const fresh = set({ expiresAt: 50_000 });
    await store.create(old);
    await store.create(fresh);
    expect(await store.deleteExpired(5_000)).toBeGreaterThanOrEqual(1);
    expect(await store.get(old.id, 'east')).toBeUndefined();
    expect(await store.get(fresh.id, 'east')).toEqual(fresh);
  });
});

import { randomUUID } from 'node:crypto';
import type { ReadScope } from '../../../src/access/read-scope';
import type { Database } from '../../../src/storage/sql/database';
import { SqlCollectionFiguresStore } from '../../../src/storage/sql/sql-collection-figures-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { newId, seed } from '../../http/taxii21/objects-fixture';
import { openTestDatabase, testEngines } from '../../support/test-databases';

const EVERYTHING: ReadScope = { kind: 'all' };
/** What east reads: its own objects and GREEN, nothing of west's AMBER. */
const EAST: ReadScope = { kind: 'filtered', self: 'east', openMarkings: ['clear', 'green'], amberProviders: [], strictProviders: [], redRecipient: 'east', defaultMarking: 'amber' };

/** The lag of issue 16: readable versions after a position, bounded by a limit whatever the backlog. */
describe.each(testEngines())('the readable backlog on %s', (engine) => {
  let db: Database;
  let store: SqlCollectionFiguresStore;
  const collectionId = randomUUID();
  let added: number[];
  const indicator = newId('indicator');

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const tenancy = createSqlTenancyStore(db);
    for (const id of ['hq', 'west', 'east']) await tenancy.organizations.insert({ id, name: id, parentId: null, managedBy: 'admin' });
    await tenancy.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
    await tenancy.collections.insert({ id: collectionId, apiRootId: 'root', alias: null, title: 'c', description: null, owner: { kind: 'organization', id: 'hq' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    store = new SqlCollectionFiguresStore(db);
    added = [
      ...(await seed(db, collectionId, { id: newId('identity'), modified: '2026-01-01T00:00:00.000Z', provider: 'west', tlp: 'green' })),
      ...(await seed(db, collectionId, { id: indicator, modified: '2026-01-01T00:00:00.000Z', provider: 'west', tlp: 'green' })),
      ...(await seed(db, collectionId, { id: newId('indicator'), modified: '2026-01-01T00:00:00.000Z', provider: 'west', tlp: 'amber' })),
      ...(await seed(db, collectionId, { id: indicator, modified: '2026-02-01T00:00:00.000Z', provider: 'west', tlp: 'green' })),
    ];
  });
  afterAll(() => db.close());

  test('counts readable versions and objects after the position, and when the oldest was added', async () => {
    expect(await store.readableBacklog(collectionId, EVERYTHING, 0, 100)).toEqual({ objects: 3, versions: 4, oldestAdded: added[0], more: false });
    expect(await store.readableBacklog(collectionId, EAST, added[0] as number, 100)).toEqual({ objects: 1, versions: 2, oldestAdded: added[1], more: false });
    expect(await store.readableBacklog(collectionId, EVERYTHING, 0, 100, ['indicator'])).toEqual({ objects: 2, versions: 3, oldestAdded: added[1], more: false });
    expect(await store.readableBacklog(collectionId, EVERYTHING, added[3] as number, 100)).toEqual({ objects: 0, versions: 0, more: false });
    expect(await store.readableBacklog(collectionId, { kind: 'none' }, 0, 100)).toEqual({ objects: 0, versions: 0, more: false });
  });

  test('stops counting at the limit (the oldest first) and says there is more', async () => {
    expect(await store.readableBacklog(collectionId, EVERYTHING, 0, 2)).toEqual({ objects: 2, versions: 2, oldestAdded: added[0], more: true });
    expect(await store.readableBacklog(collectionId, EVERYTHING, 0, 4)).toEqual({ objects: 3, versions: 4, oldestAdded: added[0], more: false });
  });
});

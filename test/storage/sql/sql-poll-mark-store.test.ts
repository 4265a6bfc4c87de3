import { randomUUID } from 'node:crypto';
import type { PollMark } from '../../../src/storage/poll-mark-store';
import type { Database } from '../../../src/storage/sql/database';
import { SqlPollMarkStore } from '../../../src/storage/sql/sql-poll-mark-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { openWithOneCollection } from '../../support/one-collection';
import { testEngines } from '../../support/test-databases';

const T0 = 1_700_000_000_000_000;

/** The poll marks (migrations 024 and 025, issue 16): the latest poll and the furthest position, whoever writes last. */
describe.each(testEngines())('the poll-mark store on %s', (engine) => {
  let db: Database;
  let store: SqlPollMarkStore;
  const collectionId = randomUUID();
  const mark = (overrides: Partial<PollMark> = {}): PollMark => ({
    collectionId, organizationId: 'west', userId: 'u-carol', username: 'carol', protocol: 'taxii21', polledAt: 1_000, position: T0, ...overrides,
  });

  beforeAll(async () => {
    db = await openWithOneCollection(engine, collectionId);
    store = new SqlPollMarkStore(db);
  });
  afterAll(() => db.close());

  test('a recorded mark reads back; a mark of a key reads back with its key', async () => {
    await store.record([mark(), mark({ organizationId: 'east', userId: 'u-bob', username: 'bob', apiKeyId: 'k1', protocol: 'taxii11', polledAt: 900, position: T0 + 5 })]);
    expect(await store.marksOf(collectionId, 'west')).toEqual([mark()]);
    expect((await store.marksOf(collectionId)).map((m) => [m.organizationId, m.apiKeyId])).toEqual([['west', undefined], ['east', 'k1']]);
  });

  test('a mark written later but older (another hub process flushing late) keeps the latest time and the furthest position', async () => {
    await store.record([mark({ polledAt: 2_000, position: T0 + 10, protocol: 'taxii11' })]);
    await store.record([mark({ polledAt: 1_500, position: T0 + 3, protocol: 'taxii21' })]);
    expect(await store.marksOf(collectionId, 'west')).toEqual([mark({ polledAt: 2_000, position: T0 + 10, protocol: 'taxii11' })]);
    // a later poll that asked from an earlier position moves the time, not the position back
    await store.record([mark({ polledAt: 3_000, position: T0, protocol: 'taxii21' })]);
    expect(await store.marksOf(collectionId, 'west')).toEqual([mark({ polledAt: 3_000, position: T0 + 10, protocol: 'taxii21' })]);
  });

  test("a poll's type filter is kept, the latest poll's (like its protocol), whichever process writes last", async () => {
    const sensor = (overrides: Partial<PollMark>) => mark({ organizationId: 'typed', userId: 'u-sensor', username: 'sensor', ...overrides });
    await store.record([sensor({ polledAt: 1_000, position: T0 + 1, types: ['indicator', 'sighting'] })]);
    expect(await store.marksOf(collectionId, 'typed')).toEqual([sensor({ polledAt: 1_000, position: T0 + 1, types: ['indicator', 'sighting'] })]);
    await store.record([sensor({ polledAt: 3_000, position: T0 + 2 })]); // a later poll of every type
    await store.record([sensor({ polledAt: 2_000, position: T0 + 3, types: ['indicator'] })]); // an earlier one, written late
    expect(await store.marksOf(collectionId, 'typed')).toEqual([sensor({ polledAt: 3_000, position: T0 + 3 })]);
    await store.record([sensor({ polledAt: 4_000, position: T0 + 3, types: ['indicator'] })]);
    expect((await store.marksOf(collectionId, 'typed'))[0]?.types).toEqual(['indicator']);
  });

  test('two processes writing the same marks at once both land (no lost update, no deadlock)', async () => {
    const keys = ['u-1', 'u-2', 'u-3'];
    const a = keys.map((userId, i) => mark({ organizationId: 'race', userId, polledAt: 5_000 + i, position: T0 + 100 + i }));
    const b = [...keys].reverse().map((userId, i) => mark({ organizationId: 'race', userId, polledAt: 4_000 + i, position: T0 + 200 + i }));
    await Promise.all([store.record(a), store.record(b), store.record(a), store.record(b)]);
    const marks = await store.marksOf(collectionId, 'race');
    expect(marks.map((m) => [m.userId, m.polledAt, m.position]).sort()).toEqual([['u-1', 5_000, T0 + 202], ['u-2', 5_001, T0 + 201], ['u-3', 5_002, T0 + 200]]);
  });

  test('a deleted collection takes its marks with it', async () => {
    const other = randomUUID();
    const tenancy = createSqlTenancyStore(db);
    await tenancy.collections.insert({ id: other, apiRootId: 'root', alias: null, title: 'd', description: null, owner: { kind: 'organization', id: 'hq' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    await store.record([mark({ collectionId: other })]);
    await db.query('DELETE FROM collections WHERE id = $1', [other]);
    expect(await store.marksOf(other)).toEqual([]);
  });
});

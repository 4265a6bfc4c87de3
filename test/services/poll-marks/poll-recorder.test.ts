import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../src/domain/principal';
import { createPollRecorder } from '../../../src/services/poll-marks/poll-recorder';
import type { Database } from '../../../src/storage/sql/database';
import { SqlPollMarkStore } from '../../../src/storage/sql/sql-poll-mark-store';
import { openWithOneCollection } from '../../support/one-collection';

const T0 = 1_700_000_000_000_000;
const HOUR = 60 * 60 * 1000;
const carol: Principal = { userId: 'u-carol', username: 'carol', organizationId: 'west', roles: new Set(['consumer']), via: 'basic' };
const carolsKey: Principal = { ...carol, via: 'api-key', apiKeyId: 'k7' };

/** The poll recorder (issue 16) over the real store: polls wait in memory, merge per principal, and survive a failed write. */
describe('the poll recorder', () => {
  let db: Database;
  let store: SqlPollMarkStore;
  const collectionId = randomUUID();
  let clock = 1_000;
  const errors: unknown[] = [];
  const recorder = () => createPollRecorder({ store, intervalMs: HOUR, now: () => clock, onError: (e) => errors.push(e) });

  beforeAll(async () => {
    db = await openWithOneCollection('pglite', collectionId);
    store = new SqlPollMarkStore(db);
  });
  afterAll(() => db.close());

  test('many polls of one principal become one mark: the latest time, the furthest position, the latest protocol; a key is its own principal', async () => {
    const polls = recorder();
    polls.polled(carol, collectionId, 'taxii21', T0 + 50);
    clock = 2_000;
    polls.polled(carol, collectionId, 'taxii11', T0 + 10); // a later poll that asked from further back
    polls.polled(carolsKey, collectionId, 'taxii21', T0 + 7);
    expect(await store.marksOf(collectionId)).toEqual([]); // nothing written until flushed
    await polls.flush();
    const marks = await store.marksOf(collectionId, 'west');
    expect(marks.map((m) => [m.apiKeyId, m.protocol, m.polledAt, m.position])).toEqual([[undefined, 'taxii11', 2_000, T0 + 50], ['k7', 'taxii21', 2_000, T0 + 7]]);
  });

  test("a poll's types are kept sorted and once each; a later poll of every type drops them, as a later filtered one brings them back", async () => {
    const sensor: Principal = { ...carol, via: 'api-key', apiKeyId: 'k-types' };
    const polls = recorder();
    clock = 3_000;
    polls.polled(sensor, collectionId, 'taxii21', T0 + 1, ['sighting', 'indicator', 'sighting']);
    await polls.flush();
    const typesNow = async () => (await store.marksOf(collectionId, 'west')).find((m) => m.apiKeyId === 'k-types')?.types;
    expect(await typesNow()).toEqual(['indicator', 'sighting']);
    clock = 3_100;
    polls.polled(sensor, collectionId, 'changes', T0 + 2);
    await polls.flush();
    expect(await typesNow()).toBeUndefined();
    clock = 3_200;
    polls.polled(sensor, collectionId, 'taxii21', T0 + 2, ['indicator']);
    clock = 3_300;
    polls.polled(sensor, collectionId, 'taxii21', T0 + 3, ['note']); // merged in memory: the later poll's
    await polls.flush();
    expect(await typesNow()).toEqual(['note']);
  });

  test('a write the database refused is kept and written with the next flush', async () => {
    const polls = recorder();
    clock = 3_000;
    polls.polled(carol, collectionId, 'taxii21', T0 + 90);
    await db.query('ALTER TABLE poll_marks RENAME TO poll_marks_away');
    try {
      await polls.flush();
    } finally {
      await db.query('ALTER TABLE poll_marks_away RENAME TO poll_marks');
    }
    expect(errors).toHaveLength(1);
    clock = 4_000;
    polls.polled(carol, collectionId, 'taxii21', T0 + 60);
    await polls.stop();
    const mark = (await store.marksOf(collectionId, 'west')).find((m) => m.apiKeyId === undefined);
    expect([mark?.polledAt, mark?.position]).toEqual([4_000, T0 + 90]);
  });
});

import { randomUUID } from 'node:crypto';
import type { Database } from '../../../src/storage/sql/database';
import { SqlStatusStore } from '../../../src/storage/sql/sql-status-store';
import { STATUS_RETENTION_MICROS, type TaxiiStatus } from '../../../src/storage/status-store';
import { openTestDatabase, testEngines } from '../../support/test-databases';

const NOW = 1_800_000_000_000_000; // microseconds
const HOUR = 60 * 60 * 1_000_000;

function status(overrides: Partial<TaxiiStatus> = {}): TaxiiStatus {
  return {
    id: randomUUID(),
    apiRootId: 'demo',
    collectionId: randomUUID(),
    organizationId: 'acme-east',
    requestTimestamp: NOW - 5,
    completedAt: NOW,
    status: 'complete',
    successes: [{ id: `indicator--${randomUUID()}`, version: '2026-01-02T00:00:00.000Z' }],
    failures: [{ id: '', version: '2026-01-02T00:00:00.000Z', message: 'id is required and must be a string' }],
    pendings: [],
    ...overrides,
  };
}

describe.each(testEngines())('SQL status store on %s', (engine) => {
  let db: Database;
  let statuses: SqlStatusStore;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    statuses = new SqlStatusStore(db);
  });
  afterAll(() => db.close());

  test('a stored status reads back as it was stored, with counts that match its lists', async () => {
    const stored = status();
    await statuses.insert(stored);
    expect(await statuses.get('demo', stored.id)).toEqual(stored);
    const [counts] = (await db.query<{ total_count: number; success_count: number; failure_count: number; pending_count: number }>(
      'SELECT total_count, success_count, failure_count, pending_count FROM taxii_statuses WHERE id = $1',
      [stored.id],
    )).rows;
    expect(counts).toEqual({ total_count: 2, success_count: 1, failure_count: 1, pending_count: 0 });
  });

  test('a pending status keeps a null completion time', async () => {
    const pending = status({ status: 'pending', completedAt: null, successes: [], failures: [], pendings: [{ id: `indicator--${randomUUID()}`, version: 'x' }] });
    await statuses.insert(pending);
    expect(await statuses.get('demo', pending.id)).toEqual(pending);
  });

  test('a status is found only in its own API root, and an id that is not a UUID finds nothing', async () => {
    const stored = status();
    await statuses.insert(stored);
    expect(await statuses.get('other', stored.id)).toBeUndefined();
    expect(await statuses.get('demo', randomUUID())).toBeUndefined();
    expect(await statuses.get('demo', 'not-a-uuid')).toBeUndefined();
  });

  test('purgeExpired deletes statuses completed more than the retention ago, and keeps recent and pending ones', async () => {
    const expired = status({ completedAt: NOW - STATUS_RETENTION_MICROS - HOUR });
    const kept = status({ completedAt: NOW - STATUS_RETENTION_MICROS + HOUR });
    const pending = status({ status: 'pending', completedAt: null, successes: [], failures: [] });
    for (const s of [expired, kept, pending]) await statuses.insert(s);

    expect(await statuses.purgeExpired(NOW)).toBeGreaterThanOrEqual(1);
    expect(await statuses.get('demo', expired.id)).toBeUndefined();
    expect(await statuses.get('demo', kept.id)).toEqual(kept);
    expect(await statuses.get('demo', pending.id)).toEqual(pending);
  });

  test('the retention is at least the 24 hours TAXII asks for', () => {
    expect(STATUS_RETENTION_MICROS).toBeGreaterThanOrEqual(24 * HOUR);
  });
});

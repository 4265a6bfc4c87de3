import type { LoginAttempt, LoginThrottle, LoginThrottleSettings, Reservation } from '../../src/auth/login-throttle';
import { MemoryLoginThrottle } from '../../src/auth/memory-login-throttle';
import { SqlLoginThrottle } from '../../src/auth/sql-login-throttle';
import type { Database } from '../../src/storage/sql/database';
import { openTestDatabase, testEngines } from '../support/test-databases';

/**
 * The login throttle's contract, for the in-memory counters (PGlite hubs) and the database counters
 * (PostgreSQL hubs) on every test engine.
 */

const MINUTE = 60_000;

interface Subject {
  readonly name: string;
  setUp(): Promise<void>;
  /** Forgets every count (the database's rows outlive a throttle object). */
  reset(): Promise<void>;
  make(settings: Partial<LoginThrottleSettings>, now: () => number): LoginThrottle;
  tearDown(): Promise<void>;
}

function inDatabase(engine: 'pglite' | 'postgres'): Subject {
  let db: Database | undefined;
  const opened = () => {
    if (!db) throw new Error('database not open');
    return db;
  };
  return {
    name: `in the database on ${engine}`,
    setUp: async () => {
      db = await openTestDatabase(engine);
    },
    reset: async () => {
      await opened().query('DELETE FROM login_throttle_attempts');
    },
    make: (settings, now) => new SqlLoginThrottle(opened(), settings, now),
    tearDown: async () => {
      await db?.close();
    },
  };
}

const SUBJECTS: Subject[] = [
  { name: 'in memory', setUp: async () => {}, reset: async () => {}, make: (settings, now) => new MemoryLoginThrottle(settings, now), tearDown: async () => {} },
  ...testEngines().map(inDatabase),
];

const attempt = (account: string, address = '10.0.0.1', scheme: LoginAttempt['scheme'] = 'basic'): LoginAttempt => ({ scheme, account, address });

async function fail(throttle: LoginThrottle, tried: LoginAttempt): Promise<void> {
  const reservation = await throttle.reserve(tried);
  if (!reservation.granted) throw new Error(`expected a slot for ${tried.account}@${tried.address}`);
  await reservation.settle('failed');
}

function granted(reservations: readonly Reservation[]): number {
  return reservations.filter((reservation) => reservation.granted).length;
}

describe.each(SUBJECTS)('the login throttle $name', (subject) => {
  let clock: number;
  const make = (settings: Partial<LoginThrottleSettings> = {}) => subject.make(settings, () => clock);

  beforeAll(() => subject.setUp());
  afterAll(() => subject.tearDown());
  beforeEach(async () => {
    clock = Date.UTC(2026, 0, 1);
    await subject.reset();
  });

  test('refuses an account at an address once it has failed its limit there within the window', async () => {
    const throttle = make({ maxFailuresPerAccountAtAddress: 3, windowMs: 5 * MINUTE });
    for (let i = 0; i < 3; i += 1) {
      await fail(throttle, attempt('alice'));
      clock += MINUTE;
    }
    // failures at 0, 1 and 2 minutes; the first leaves the window at 5 minutes
    expect(await throttle.reserve(attempt('alice'))).toEqual({ granted: false, reason: 'account-at-address', retryAfterSeconds: 120 });
  });

  test('never refuses the account from another address, nor another account from that address', async () => {
    const throttle = make({ maxFailuresPerAccountAtAddress: 3 });
    for (let i = 0; i < 3; i += 1) await fail(throttle, attempt('alice', '10.0.0.1'));
    expect((await throttle.reserve(attempt('alice', '10.0.0.2'))).granted).toBe(true);
    expect((await throttle.reserve(attempt('bob', '10.0.0.1'))).granted).toBe(true);
  });

  test('the window slides: each failure leaving it lets one more attempt through', async () => {
    const throttle = make({ maxFailuresPerAccountAtAddress: 2, windowMs: 10 * MINUTE });
    await fail(throttle, attempt('alice'));
    clock += MINUTE;
    await fail(throttle, attempt('alice'));
    clock += 9 * MINUTE - 1;
    expect((await throttle.reserve(attempt('alice'))).granted).toBe(false);
    clock += 1;
    await fail(throttle, attempt('alice'));
    expect(await throttle.reserve(attempt('alice'))).toEqual({ granted: false, reason: 'account-at-address', retryAfterSeconds: 60 });
  });

  test('an address over its limit gives each account that has not failed there one verification, and none to one that has', async () => {
    const throttle = make({ maxFailuresPerAddress: 3, maxFailuresPerAccountAtAddress: 10 });
    for (const account of ['u1', 'u2', 'u3']) await fail(throttle, attempt(account));

    const refused = await throttle.reserve(attempt('u1'));
    expect(refused).toMatchObject({ granted: false, reason: 'address' });
    const fresh = await throttle.reserve(attempt('carol'));
    expect(fresh.granted).toBe(true);
    expect((await throttle.reserve(attempt('carol'))).granted).toBe(false); // its slot is taken while it verifies
    if (fresh.granted) await fresh.settle('failed');
    expect((await throttle.reserve(attempt('carol'))).granted).toBe(false);
    expect((await throttle.reserve(attempt('u1', '10.0.0.2'))).granted).toBe(true);
  });

  test('a refusal caused by the address lasts until its failures or the account’s leave the window', async () => {
    const throttle = make({ maxFailuresPerAddress: 2, windowMs: 5 * MINUTE });
    await fail(throttle, attempt('u1'));
    clock += MINUTE;
    await fail(throttle, attempt('u2'));
    clock += MINUTE;
    // u1 failed at 0: the address falls under its limit when that failure leaves, 3 minutes from now
    expect(await throttle.reserve(attempt('u1'))).toEqual({ granted: false, reason: 'address', retryAfterSeconds: 180 });
    clock += 3 * MINUTE;
    expect((await throttle.reserve(attempt('u2'))).granted).toBe(true);
  });

  test('Basic and API key attempts are counted apart', async () => {
    const throttle = make({ maxFailuresPerAccountAtAddress: 1, maxFailuresPerAddress: 1 });
    await fail(throttle, attempt('alice', '10.0.0.1', 'basic'));
    expect((await throttle.reserve(attempt('alice', '10.0.0.1', 'basic'))).granted).toBe(false);
    expect((await throttle.reserve(attempt('alice', '10.0.0.1', 'api-key'))).granted).toBe(true);
  });

  test("a success clears the account's failures at that address, not the address's", async () => {
    const throttle = make({ maxFailuresPerAccountAtAddress: 2, maxFailuresPerAddress: 4 });
    await fail(throttle, attempt('alice'));
    await fail(throttle, attempt('u1'));
    const right = await throttle.reserve(attempt('alice'));
    if (right.granted) await right.settle('succeeded');
    await fail(throttle, attempt('alice'));
    expect((await throttle.reserve(attempt('alice'))).granted).toBe(true); // 1 failure of 2 since the success
    await fail(throttle, attempt('u2')); // the 4th failure at the address: the one before the success still counts
    expect(await throttle.reserve(attempt('u1'))).toMatchObject({ granted: false, reason: 'address' });
  });

  test('an abandoned verification (an error) counts nothing', async () => {
    const throttle = make({ maxFailuresPerAccountAtAddress: 1 });
    const slot = await throttle.reserve(attempt('alice'));
    if (slot.granted) await slot.settle('abandoned');
    expect((await throttle.reserve(attempt('alice'))).granted).toBe(true);
  });

  test('200 concurrent attempts for one account at one address let exactly its limit through', async () => {
    const throttle = make({ maxFailuresPerAccountAtAddress: 10 });
    const reservations = await Promise.all(Array.from({ length: 200 }, () => throttle.reserve(attempt('alice'))));
    expect(granted(reservations)).toBe(10);
  });

  test('at an address over its limit, 200 concurrent attempts for a fresh account let exactly one through', async () => {
    const throttle = make({ maxFailuresPerAddress: 5 });
    for (let i = 0; i < 5; i += 1) await fail(throttle, attempt(`u${i}`));
    const reservations = await Promise.all(Array.from({ length: 200 }, () => throttle.reserve(attempt('alice'))));
    expect(granted(reservations)).toBe(1);
  });

  test('200 concurrent attempts over four accounts at a fresh address never exceed a limit', async () => {
    const throttle = make({ maxFailuresPerAccountAtAddress: 10, maxFailuresPerAddress: 20 });
    const accounts = ['a', 'b', 'c', 'd'];
    const reservations = await Promise.all(Array.from({ length: 200 }, (_, i) => throttle.reserve(attempt(accounts[i % 4] ?? 'a'))));
    const perAccount = accounts.map((account, index) => granted(reservations.filter((_, i) => i % 4 === index)));
    for (const count of perAccount) expect(count).toBeLessThanOrEqual(10);
    // once 20 slots are taken every account holds one, so the address admits nobody more
    expect(granted(reservations)).toBeLessThanOrEqual(20 + accounts.length);
  });
});

describe.each(testEngines())('the login throttle in the database on %s', (engine) => {
  let db: Database;
  let clock: number;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    clock = Date.UTC(2026, 0, 1);
    await db.query('DELETE FROM login_throttle_attempts');
  });

  test('is shared by every hub process on the database', async () => {
    const [first, second] = [new SqlLoginThrottle(db, { maxFailuresPerAccountAtAddress: 2 }, () => clock), new SqlLoginThrottle(db, { maxFailuresPerAccountAtAddress: 2 }, () => clock)];
    await fail(first, attempt('alice'));
    await fail(second, attempt('alice'));
    expect((await first.reserve(attempt('alice'))).granted).toBe(false);
    expect((await second.reserve(attempt('alice'))).granted).toBe(false);
  });

  test('a reservation never settled (its process died) stops counting after the reservation TTL', async () => {
    const throttle = new SqlLoginThrottle(db, { maxFailuresPerAccountAtAddress: 1, reservationTtlMs: MINUTE }, () => clock);
    expect((await throttle.reserve(attempt('alice'))).granted).toBe(true);
    expect(await throttle.reserve(attempt('alice'))).toEqual({ granted: false, reason: 'account-at-address', retryAfterSeconds: 1 });
    clock += MINUTE;
    expect((await throttle.reserve(attempt('alice'))).granted).toBe(true);
  });

  test('rows leave the table once they are out of the window', async () => {
    const throttle = new SqlLoginThrottle(db, { windowMs: 5 * MINUTE, reservationTtlMs: MINUTE }, () => clock);
    for (let i = 0; i < 20; i += 1) await fail(throttle, attempt(`u${i}`, `10.0.${i}.1`));
    clock += 5 * MINUTE;
    // each reservation deletes its own address's stale rows; every 500th sweeps the whole table
    for (let i = 0; i < 500; i += 1) {
      const slot = await throttle.reserve(attempt('alice', '10.9.9.9'));
      if (slot.granted) await slot.settle('abandoned');
    }
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM login_throttle_attempts');
    expect(rows[0]?.n).toBe(0);
  });
});

describe('the login throttle in memory', () => {
  test('beyond the tracked-key bound the least recently failing accounts are forgotten', async () => {
    const throttle = new MemoryLoginThrottle({ maxFailuresPerAccountAtAddress: 1, maxTrackedKeys: 2 });
    for (const account of ['a', 'b', 'c']) await fail(throttle, attempt(account, `10.0.0.${account.charCodeAt(0)}`));
    const allowed = await Promise.all(['a', 'b', 'c'].map(async (account) => (await throttle.reserve(attempt(account, `10.0.0.${account.charCodeAt(0)}`))).granted));
    expect(allowed).toEqual([true, false, false]);
  });
});

import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../storage/sql/database';
import {
  DEFAULT_LOGIN_THROTTLE,
  judgeAttempt,
  type AttemptOutcome,
  type LoginAttempt,
  type LoginThrottle,
  type LoginThrottleSettings,
  type Reservation,
  type WindowCount,
} from './login-throttle';

/**
 * The login throttle in the database (table login_throttle_attempts, migration 006), so that every
 * hub process on one PostgreSQL server counts the same failures. A row is a reservation ('pending'),
 * a failure ('failed'), or a failure the account has since made good with a success ('cleared': it
 * still counts for the address). Checking and reserving run in one transaction under an advisory lock on
 * (scheme, address): every counter an attempt is judged by belongs to its address, so concurrent
 * attempts from one address, in any process, are judged one after the other. Rows whose time has
 * passed are deleted under that lock, and by a sweep of the whole table every SWEEP_EVERY
 * reservations.
 */

/** The first key of the two-key advisory locks this throttle takes (the two-key space is apart from migrate's one-key lock). */
const LOCK_CLASS = 1_416_131_146;
const SWEEP_EVERY = 500;

interface CountRow {
  readonly address_failures: number;
  readonly address_pending: number;
  readonly account_failures: number;
  readonly account_pending: number;
}

export class SqlLoginThrottle implements LoginThrottle {
  private readonly settings: LoginThrottleSettings;
  private reservesSinceSweep = 0;

  constructor(
    private readonly db: Database,
    settings: Partial<LoginThrottleSettings> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.settings = { ...DEFAULT_LOGIN_THROTTLE, ...settings };
  }

  async reserve(attempt: LoginAttempt): Promise<Reservation> {
    const at = this.now();
    if (++this.reservesSinceSweep >= SWEEP_EVERY) {
      this.reservesSinceSweep = 0;
      const horizon = at - Math.max(this.settings.windowMs, this.settings.reservationTtlMs);
      await this.db.query('DELETE FROM login_throttle_attempts WHERE at <= $1', [new Date(horizon)]);
    }
    const id = randomUUID();
    const verdict = await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext($1))`, [`${attempt.scheme} ${attempt.address}`]);
      await tx.query(
        `DELETE FROM login_throttle_attempts
          WHERE scheme = $1 AND address = $2 AND at <= CASE state WHEN 'pending' THEN $4::timestamptz ELSE $3::timestamptz END`,
        [attempt.scheme, attempt.address, new Date(at - this.settings.windowMs), new Date(at - this.settings.reservationTtlMs)],
      );
      const counts = await countsOf(tx, attempt);
      const byCounts = judgeAttempt(counts, this.settings, at);
      if (byCounts.allowed) {
        await tx.query(
          `INSERT INTO login_throttle_attempts (id, scheme, address, account, state, at) VALUES ($1, $2, $3, $4, 'pending', $5)`,
          [id, attempt.scheme, attempt.address, attempt.account, new Date(at)],
        );
        return byCounts;
      }
      return judgeAttempt(await withFailureTimes(tx, attempt, counts, this.settings), this.settings, at);
    });
    if (!verdict.allowed) return { granted: false, reason: verdict.reason, retryAfterSeconds: verdict.retryAfterSeconds };
    let settled = false;
    return {
      granted: true,
      settle: async (outcome) => {
        if (settled) return;
        settled = true;
        await this.settle(id, attempt, outcome);
      },
    };
  }

  private async settle(id: string, attempt: LoginAttempt, outcome: AttemptOutcome): Promise<void> {
    if (outcome === 'failed') {
      // An upsert: the reservation may have been swept if the verification outlived reservationTtlMs.
      await this.db.query(
        `INSERT INTO login_throttle_attempts (id, scheme, address, account, state, at) VALUES ($1, $2, $3, $4, 'failed', $5)
         ON CONFLICT (id) DO UPDATE SET state = 'failed', at = EXCLUDED.at`,
        [id, attempt.scheme, attempt.address, attempt.account, new Date(this.now())],
      );
    } else if (outcome === 'succeeded') {
      await this.db.query('DELETE FROM login_throttle_attempts WHERE id = $1', [id]);
      await this.db.query(
        `UPDATE login_throttle_attempts SET state = 'cleared'
          WHERE scheme = $1 AND address = $2 AND account = $3 AND state = 'failed'`,
        [attempt.scheme, attempt.address, attempt.account],
      );
    } else {
      await this.db.query('DELETE FROM login_throttle_attempts WHERE id = $1', [id]);
    }
  }
}

async function countsOf(tx: Queryable, attempt: LoginAttempt): Promise<{ account: WindowCount; address: WindowCount }> {
  const { rows } = await tx.query<CountRow>(
    `SELECT count(*) FILTER (WHERE state <> 'pending')::int AS address_failures,
            count(*) FILTER (WHERE state = 'pending')::int AS address_pending,
            count(*) FILTER (WHERE state = 'failed' AND account = $3)::int AS account_failures,
            count(*) FILTER (WHERE state = 'pending' AND account = $3)::int AS account_pending
       FROM login_throttle_attempts WHERE scheme = $1 AND address = $2`,
    [attempt.scheme, attempt.address, attempt.account],
  );
  const row = rows[0] ?? { address_failures: 0, address_pending: 0, account_failures: 0, account_pending: 0 };
  return {
    account: { failureCount: row.account_failures, failuresNewestFirst: [], pending: row.account_pending },
    address: { failureCount: row.address_failures, failuresNewestFirst: [], pending: row.address_pending },
  };
}

/** The newest failure times a refusal's Retry-After is computed from: up to each counter's limit. */
async function withFailureTimes(
  tx: Queryable,
  attempt: LoginAttempt,
  counts: { account: WindowCount; address: WindowCount },
  settings: LoginThrottleSettings,
): Promise<{ account: WindowCount; address: WindowCount }> {
  const { rows } = await tx.query<{ counter: 'account' | 'address'; at: Date }>(
    `(SELECT 'account' AS counter, at FROM login_throttle_attempts
       WHERE scheme = $1 AND address = $2 AND account = $3 AND state = 'failed' ORDER BY at DESC LIMIT $4)
     UNION ALL
     (SELECT 'address' AS counter, at FROM login_throttle_attempts
       WHERE scheme = $1 AND address = $2 AND state <> 'pending' ORDER BY at DESC LIMIT $5)`,
    [attempt.scheme, attempt.address, attempt.account, settings.maxFailuresPerAccountAtAddress, settings.maxFailuresPerAddress],
  );
  const timesOf = (counter: 'account' | 'address') =>
    rows.filter((row) => row.counter === counter).map((row) => row.at.getTime()).sort((a, b) => b - a);
  return {
    account: { ...counts.account, failuresNewestFirst: timesOf('account') },
    address: { ...counts.address, failuresNewestFirst: timesOf('address') },
  };
}

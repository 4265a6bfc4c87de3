/**
 * The login throttle: slows down guessing without ever locking an account out globally.
 *
 * Failed attempts are counted per (account, client address) and per client address, in a sliding
 * window, separately for Basic passwords and for API keys (a password failure never throttles a key).
 * "Account" is the name the client claimed, whether or not it exists, and every failure counts against
 * its address the same way, so nothing the throttle answers tells which accounts exist.
 *
 * Before verifying a credential the caller reserves a slot; the reservation counts like a failure
 * until it is settled, so N concurrent attempts let at most the limit through to verification.
 * A slot is granted when
 *   - the account has fewer than `maxFailuresPerAccountAtAddress` failures (and slots) at the address, and
 *   - the address is under `maxFailuresPerAddress`, or, once it is over, the account has no failure
 *     (and no slot) at that address: an address full of failures still lets in every account that has
 *     not failed from there, one verification each.
 * A success clears the account's failures at that address, never the address's.
 */

export type CredentialScheme = 'basic' | 'api-key';

export interface LoginAttempt {
  readonly scheme: CredentialScheme;
  /** The claimed username or API key id (digested when long), whether or not it exists. */
  readonly account: string;
  /** The client address, grouped as `throttleAddressOf` does. */
  readonly address: string;
}

export interface LoginThrottleSettings {
  readonly maxFailuresPerAccountAtAddress: number;
  readonly maxFailuresPerAddress: number;
  readonly windowMs: number;
  /** A reservation not settled within this time (its process died) stops counting. */
  readonly reservationTtlMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = {
  maxFailuresPerAccountAtAddress: 10,
  maxFailuresPerAddress: 50,
  windowMs: 5 * 60_000,
  reservationTtlMs: 60_000,
};

/** How a verification ended: a failure is counted, a success clears the account at the address, an abandoned one (an error) counts nothing. */
export type AttemptOutcome = 'failed' | 'succeeded' | 'abandoned';

export type ThrottleReason = 'account-at-address' | 'address';

export type Reservation =
  | { readonly granted: true; settle(outcome: AttemptOutcome): Promise<void> }
  | { readonly granted: false; readonly reason: ThrottleReason; readonly retryAfterSeconds: number };

export interface LoginThrottle {
  /** Atomically checks the counters and, when allowed, holds a slot until `settle` is called. */
  reserve(attempt: LoginAttempt): Promise<Reservation>;
}

/** One counter's state in the window, as the adapters read it. */
export interface WindowCount {
  readonly failureCount: number;
  /** Failure times (ms) in the window, newest first: at least the newest `limit` of them. */
  readonly failuresNewestFirst: readonly number[];
  /** Reservations not yet settled. */
  readonly pending: number;
}

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: ThrottleReason; readonly retryAfterSeconds: number };

/** The rule, shared by every adapter: may one more attempt of this account at this address be verified? */
export function judgeAttempt(
  counts: { readonly account: WindowCount; readonly address: WindowCount },
  settings: LoginThrottleSettings,
  now: number,
): ThrottleVerdict {
  const { account, address } = counts;
  const accountLoad = account.failureCount + account.pending;
  const addressFull = address.failureCount + address.pending >= settings.maxFailuresPerAddress;
  if (accountLoad < (addressFull ? 1 : settings.maxFailuresPerAccountAtAddress)) return { allowed: true };

  const wait = (count: WindowCount, limit: number) => secondsUntilBelow(count, limit, now, settings.windowMs);
  const underAccountLimit = wait(account, settings.maxFailuresPerAccountAtAddress);
  const retryAfterSeconds = addressFull
    ? Math.min(Math.max(underAccountLimit, wait(address, settings.maxFailuresPerAddress)), wait(account, 1))
    : underAccountLimit;
  const reason = accountLoad >= settings.maxFailuresPerAccountAtAddress ? 'account-at-address' : 'address';
  return { allowed: false, reason, retryAfterSeconds: Math.max(1, retryAfterSeconds) };
}

/**
 * Whole seconds until failures leaving the window bring the count under `limit`; 0 when it already
 * is, 1 when reservations in flight alone fill it (they settle within a verification).
 */
function secondsUntilBelow(count: WindowCount, limit: number, now: number, windowMs: number): number {
  if (count.failureCount + count.pending < limit) return 0;
  // Once the failure at this index (newest first) and all older ones have left, fewer than `limit` remain.
  const index = limit - 1 - count.pending;
  const failedAt = index < 0 ? undefined : count.failuresNewestFirst[index];
  if (failedAt === undefined) return 1;
  return Math.max(1, Math.ceil((failedAt + windowMs - now) / 1000));
}

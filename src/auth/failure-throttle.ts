/**
 * Slows down password guessing: failed authentications are counted per claimed identity (username or
 * API key id, whether or not it exists) and per source address in a sliding window. Once a count
 * reaches its limit, further attempts for that identity or address are refused without verifying
 * until the oldest failure leaves the window. Refused attempts are not counted, so a client that
 * keeps retrying is let through again as the window slides. A success clears the identity's count
 * (not the address's: one good password must not launder a guessing address).
 *
 * Memory stays bounded: each key keeps at most `limit` timestamps, stale keys are swept, and beyond
 * `maxTrackedKeys` the least recently failing keys are forgotten.
 */

export interface ThrottleSettings {
  readonly maxFailuresPerIdentity: number;
  readonly maxFailuresPerIp: number;
  readonly windowMs: number;
  /** Per counter (identities, addresses). */
  readonly maxTrackedKeys: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = {
  maxFailuresPerIdentity: 10,
  maxFailuresPerIp: 50,
  windowMs: 5 * 60_000,
  maxTrackedKeys: 100_000,
};

export interface AuthAttempt {
  /** e.g. `basic:alice` or `api-key:0123456789abcdef`; absent when no identity could be read. */
  readonly identity?: string;
  readonly ip: string;
}

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface FailureThrottle {
  check(attempt: AuthAttempt): ThrottleVerdict;
  recordFailure(attempt: AuthAttempt): void;
  recordSuccess(attempt: AuthAttempt): void;
}

export function createFailureThrottle(
  settings: Partial<ThrottleSettings> = {},
  now: () => number = Date.now,
): FailureThrottle {
  const resolved = { ...DEFAULT_THROTTLE, ...settings };
  const identities = new SlidingWindowCounter(resolved.maxFailuresPerIdentity, resolved.windowMs, resolved.maxTrackedKeys);
  const addresses = new SlidingWindowCounter(resolved.maxFailuresPerIp, resolved.windowMs, resolved.maxTrackedKeys);

  return {
    check(attempt) {
      const at = now();
      const waits = [
        addresses.secondsUntilAllowed(attempt.ip, at),
        attempt.identity === undefined ? 0 : identities.secondsUntilAllowed(attempt.identity, at),
      ];
      const wait = Math.max(...waits);
      return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true };
    },
    recordFailure(attempt) {
      const at = now();
      addresses.record(attempt.ip, at);
      if (attempt.identity !== undefined) identities.record(attempt.identity, at);
    },
    recordSuccess(attempt) {
      if (attempt.identity !== undefined) identities.reset(attempt.identity);
    },
  };
}

const SWEEP_EVERY = 1_000;

class SlidingWindowCounter {
  // Insertion order doubles as recency: a key is re-inserted on every failure.
  private readonly failures = new Map<string, number[]>();
  private recordsSinceSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  /** 0 when allowed, otherwise whole seconds until the oldest counted failure leaves the window. */
  secondsUntilAllowed(key: string, at: number): number {
    const times = this.current(key, at);
    if (times.length < this.limit) return 0;
    const oldestCounted = times[times.length - this.limit] ?? at;
    return Math.max(1, Math.ceil((oldestCounted + this.windowMs - at) / 1000));
  }

  record(key: string, at: number): void {
    const times = this.current(key, at);
    times.push(at);
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    this.failures.delete(key);
    this.failures.set(key, times);
    if (++this.recordsSinceSweep >= SWEEP_EVERY || this.failures.size > this.maxKeys) this.sweep(at);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string, at: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const firstLive = times.findIndex((t) => t > at - this.windowMs);
    if (firstLive === -1) {
      this.failures.delete(key);
      return [];
    }
    if (firstLive > 0) times.splice(0, firstLive);
    return times;
  }

  private sweep(at: number): void {
    this.recordsSinceSweep = 0;
    for (const [key, times] of this.failures) {
      const newest = times[times.length - 1];
      if (newest === undefined || newest <= at - this.windowMs) this.failures.delete(key);
    }
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.maxKeys) break;
      this.failures.delete(key);
    }
  }
}

import {
  DEFAULT_LOGIN_THROTTLE,
  judgeAttempt,
  type LoginAttempt,
  type LoginThrottle,
  type LoginThrottleSettings,
  type Reservation,
  type WindowCount,
} from './login-throttle';

/**
 * The login throttle in this process's memory: exact for a hub that is the only process on its
 * database (the embedded store allows no other). Each check-and-reserve runs without awaiting
 * anything, so concurrent attempts are judged one after the other.
 *
 * Memory stays bounded: a counter keeps at most its limit of failure times, counters without live
 * failures or slots are swept, and beyond `maxTrackedKeys` (per kind of counter) the least recently
 * failing counters without slots in flight are forgotten.
 */

export interface MemoryLoginThrottleSettings extends LoginThrottleSettings {
  readonly maxTrackedKeys: number;
}

const SWEEP_EVERY = 1_000;

interface Counter {
  /** Failure times, oldest first, at most `limit` of them. */
  failures: number[];
  pending: number;
}

export class MemoryLoginThrottle implements LoginThrottle {
  private readonly settings: MemoryLoginThrottleSettings;
  private readonly accounts: CounterMap;
  private readonly addresses: CounterMap;

  constructor(
    settings: Partial<MemoryLoginThrottleSettings> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.settings = { ...DEFAULT_LOGIN_THROTTLE, maxTrackedKeys: 100_000, ...settings };
    const { windowMs, maxTrackedKeys } = this.settings;
    this.accounts = new CounterMap(this.settings.maxFailuresPerAccountAtAddress, windowMs, maxTrackedKeys);
    this.addresses = new CounterMap(this.settings.maxFailuresPerAddress, windowMs, maxTrackedKeys);
  }

  async reserve(attempt: LoginAttempt): Promise<Reservation> {
    const at = this.now();
    const addressKey = `${attempt.scheme}\0${attempt.address}`;
    const accountKey = `${addressKey}\0${attempt.account}`;
    const verdict = judgeAttempt(
      { account: this.accounts.count(accountKey, at), address: this.addresses.count(addressKey, at) },
      this.settings,
      at,
    );
    if (!verdict.allowed) return { granted: false, reason: verdict.reason, retryAfterSeconds: verdict.retryAfterSeconds };

    this.accounts.hold(accountKey);
    this.addresses.hold(addressKey);
    let settled = false;
    return {
      granted: true,
      settle: async (outcome) => {
        if (settled) return;
        settled = true;
        this.accounts.release(accountKey);
        this.addresses.release(addressKey);
        const settledAt = this.now();
        if (outcome === 'failed') {
          this.accounts.recordFailure(accountKey, settledAt);
          this.addresses.recordFailure(addressKey, settledAt);
        } else if (outcome === 'succeeded') {
          this.accounts.clearFailures(accountKey);
        }
      },
    };
  }
}

/** Counters by key; Map insertion order doubles as recency (a key is re-inserted on every failure). */
class CounterMap {
  private readonly counters = new Map<string, Counter>();
  private changesSinceSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  count(key: string, at: number): WindowCount {
    const counter = this.counters.get(key);
    if (!counter) return { failureCount: 0, failuresNewestFirst: [], pending: 0 };
    counter.failures = counter.failures.filter((t) => t > at - this.windowMs);
    return { failureCount: counter.failures.length, failuresNewestFirst: [...counter.failures].reverse(), pending: counter.pending };
  }

  hold(key: string): void {
    this.counterOf(key).pending += 1;
  }

  release(key: string): void {
    const counter = this.counters.get(key);
    if (!counter) return;
    counter.pending = Math.max(0, counter.pending - 1);
    if (counter.pending === 0 && counter.failures.length === 0) this.counters.delete(key);
  }

  recordFailure(key: string, at: number): void {
    const counter = this.counterOf(key);
    counter.failures.push(at);
    if (counter.failures.length > this.limit) counter.failures.splice(0, counter.failures.length - this.limit);
    this.counters.delete(key);
    this.counters.set(key, counter);
    if (++this.changesSinceSweep >= SWEEP_EVERY || this.counters.size > this.maxKeys) this.sweep(at);
  }

  clearFailures(key: string): void {
    const counter = this.counters.get(key);
    if (!counter) return;
    counter.failures = [];
    if (counter.pending === 0) this.counters.delete(key);
  }

  private counterOf(key: string): Counter {
    let counter = this.counters.get(key);
    if (!counter) {
      counter = { failures: [], pending: 0 };
      this.counters.set(key, counter);
    }
    return counter;
  }

  private sweep(at: number): void {
    this.changesSinceSweep = 0;
    const idle = (counter: Counter) => counter.pending === 0;
    for (const [key, counter] of this.counters) {
      const newest = counter.failures[counter.failures.length - 1];
      if (idle(counter) && (newest === undefined || newest <= at - this.windowMs)) this.counters.delete(key);
    }
    for (const [key, counter] of this.counters) {
      if (this.counters.size <= this.maxKeys) break;
      if (idle(counter)) this.counters.delete(key);
    }
  }
}

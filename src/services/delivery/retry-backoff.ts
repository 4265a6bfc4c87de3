/**
 * When to try a failed delivery again: exponential backoff with full jitter — a uniformly random
 * delay between 0 and min(cap, base * 2^(failures - 1)) — so receivers coming back after an outage
 * are not hit by every subscription at the same moment. The floor keeps a failing receiver from
 * being retried in a tight loop when the random draw is near 0.
 */

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
  readonly floorMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000, floorMs: 100 };

/** The delay before attempt number `failures + 1`, after `failures` (>= 1) consecutive failures. */
export function retryDelayMs(policy: BackoffPolicy, failures: number, random: () => number): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.max(policy.floorMs, Math.floor(random() * ceiling));
}

/**
 * When the primary of `serve --workers N` restarts a worker that died, and when it gives up.
 *
 * A worker that dies after it was listening is restarted, after a delay that doubles with each
 * death of that worker slot within `windowMs` (so a worker crashing over and over does not spin the
 * CPU), up to `maxDelayMs`. A worker that dies before it ever listened failed to start; when one slot
 * fails to start `maxStartupFailures` times in a row the cause is not going away (a port in use, a
 * database refusing connections, a broken build) and the whole hub stops with a non-zero status.
 */

export interface RestartPolicy {
  readonly maxStartupFailures: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxStartupFailures: 3,
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  windowMs: 60_000,
};

export type ExitVerdict = { readonly action: 'restart'; readonly delayMs: number } | { readonly action: 'give-up'; readonly startupFailures: number };

/** The exits of one worker slot, and what to do about the latest. */
export class SlotHistory {
  private startupFailures = 0;
  private exits: number[] = [];

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  /** The slot's worker started listening: it started fine, whatever happened before. */
  listening(): void {
    this.startupFailures = 0;
  }

  /** The slot's worker exited unexpectedly at `at` (ms); `wasListening` says whether it had started. */
  exited(at: number, wasListening: boolean): ExitVerdict {
    if (!wasListening) {
      this.startupFailures += 1;
      if (this.startupFailures >= this.policy.maxStartupFailures) return { action: 'give-up', startupFailures: this.startupFailures };
    }
    this.exits = [...this.exits.filter((t) => at - t < this.policy.windowMs), at];
    const delayMs = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** (this.exits.length - 1));
    return { action: 'restart', delayMs };
  }
}

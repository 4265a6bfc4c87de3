import type { CredentialScheme, ThrottleReason } from './login-throttle';

/**
 * Writes a warning when the login throttle refuses an attempt: the client address, the claimed account
 * and the scheme, never a secret. A client hammering on gets one line per account and address a minute,
 * counting the refusals in between, so a flood of refused attempts does not flood the log.
 */

export interface ThrottledAttempt {
  readonly scheme: CredentialScheme;
  /** The claimed username or API key id. */
  readonly account: string;
  /** The address the attempt was counted under (an IPv6 client's /64). */
  readonly address: string;
  /** The client address as the request reported it. */
  readonly clientAddress: string;
  readonly reason: ThrottleReason;
  readonly retryAfterSeconds: number;
}

export interface WarningLogger {
  warn(fields: object, message: string): void;
}

export interface ThrottleWarningOptions {
  readonly now?: () => number;
  readonly intervalMs?: number;
  readonly maxTrackedKeys?: number;
}

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_MAX_TRACKED_KEYS = 10_000;

export function createThrottleWarnings(logger: WarningLogger, options: ThrottleWarningOptions = {}): (attempt: ThrottledAttempt) => void {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const maxTrackedKeys = options.maxTrackedKeys ?? DEFAULT_MAX_TRACKED_KEYS;
  // Insertion order is the order of the last warning: the first key is the one warned about longest ago.
  const lastWarnings = new Map<string, { at: number; refusedSince: number }>();

  return (attempt) => {
    const at = now();
    const key = `${attempt.scheme}\0${attempt.address}\0${attempt.account}`;
    const last = lastWarnings.get(key);
    if (last && at - last.at < intervalMs) {
      last.refusedSince += 1;
      return;
    }
    lastWarnings.delete(key);
    lastWarnings.set(key, { at, refusedSince: 0 });
    while (lastWarnings.size > maxTrackedKeys) {
      const oldest = lastWarnings.keys().next();
      if (oldest.done) break;
      lastWarnings.delete(oldest.value);
    }
    logger.warn(
      {
        address: attempt.clientAddress,
        ...(attempt.address !== attempt.clientAddress && { countedAs: attempt.address }),
        account: attempt.account,
        scheme: attempt.scheme,
        reason: attempt.reason,
        retryAfterSeconds: attempt.retryAfterSeconds,
        ...(last && { refusedSincePreviousWarning: last.refusedSince }),
      },
      'authentication throttled: too many failed attempts',
    );
  };
}

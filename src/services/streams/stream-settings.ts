import type { Principal } from '../../domain/principal';
import { hubError } from '../../domain/errors';

export interface StreamSettings {
  /** A `: heartbeat` comment this often, so proxies keep idle connections. */
  readonly heartbeatMs: number;
  /** How often the collections being streamed are checked for writes made by other hub processes. */
  readonly pollMs: number;
  /** Concurrent streams per API key (or per user, with a password). */
  readonly perPrincipalLimit: number;
  /** Concurrent streams in this process. */
  readonly globalLimit: number;
  /** A client with more than this waiting unsent is too slow: its stream is closed (it resumes with Last-Event-ID). */
  readonly maxBufferedBytes: number;
  /** Events read from the change feed at once. */
  readonly pageSize: number;
  /** The reconnection delay clients are told (the SSE `retry:` field). */
  readonly retryMs: number;
}

export const DEFAULT_STREAM_SETTINGS: StreamSettings = {
  heartbeatMs: 15_000,
  pollMs: 1_000,
  perPrincipalLimit: 5,
  globalLimit: 1_000,
  maxBufferedBytes: 1024 * 1024,
  pageSize: 100,
  retryMs: 3_000,
};

/** Seconds a refused client is told to wait. */
const RETRY_AFTER_SECONDS = 5;

/** What a stream is counted against: the API key it came with, else its user. */
export function capKeyOf(who: Principal): string {
  return who.apiKeyId !== undefined ? `key:${who.apiKeyId}` : `user:${who.userId}`;
}

/** Concurrent streams per principal and in all; `reserve` throws TOO_MANY_REQUESTS past a cap. */
export class StreamCaps {
  private readonly open = new Map<string, number>();
  private total = 0;

  constructor(private readonly settings: Pick<StreamSettings, 'perPrincipalLimit' | 'globalLimit'>) {}

  reserve(who: Principal): string {
    const key = capKeyOf(who);
    const mine = this.open.get(key) ?? 0;
    if (mine >= this.settings.perPrincipalLimit) {
      const holder = who.apiKeyId !== undefined ? 'API key' : 'user';
      throw hubError('TOO_MANY_REQUESTS', {
        description: `At most ${this.settings.perPrincipalLimit} streams may be open at once per ${holder}; close one first`,
        retryAfter: RETRY_AFTER_SECONDS,
      });
    }
    if (this.total >= this.settings.globalLimit) {
      throw hubError('TOO_MANY_REQUESTS', { description: 'The hub serves as many streams as it can; try again later', retryAfter: RETRY_AFTER_SECONDS });
    }
    this.open.set(key, mine + 1);
    this.total += 1;
    return key;
  }

  release(key: string): void {
    const mine = this.open.get(key) ?? 0;
    if (mine <= 1) this.open.delete(key);
    else this.open.set(key, mine - 1);
    this.total = Math.max(0, this.total - 1);
  }

  get count(): number {
    return this.total;
  }
}

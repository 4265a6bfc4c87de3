import type { Principal } from '../../domain/principal';
import { pollMarkKey, type PollMark, type PollMarkStore, type PollProtocol } from '../../storage/poll-mark-store';

/**
 * Records TAXII polls (issue 16) without writing on the poll's response path: `polled` only merges
 * the poll into an in-memory mark per (collection, organization, user, API key), and the marks go to
 * the store in one batch at most once per `intervalMs` (5 s by default), on `flush`, and on `stop`
 * (shutdown). A poll whose answer failed is never told (the services call `polled` after the answer
 * is made). A batch the store refused is kept and merged into the next one. Hub processes sharing a
 * PostgreSQL server each flush their own marks; the store keeps the greatest time and position.
 */
export interface PollRecorder {
  /**
   * A successful poll of `collectionId` by `who`, served up to `position` (date_added, microseconds),
   * of the STIX `types` it asked for (absent: every type).
   */
  polled(who: Principal, collectionId: string, protocol: PollProtocol, position: number, types?: readonly string[]): void;
  /** Writes the pending marks now (the figures read after it; tests). */
  flush(): Promise<void>;
  /** Stops the timer and writes the pending marks (shutdown, before the database closes). */
  stop(): Promise<void>;
}

export interface PollRecorderDeps {
  readonly store: Pick<PollMarkStore, 'record'>;
  readonly intervalMs?: number;
  /** Epoch milliseconds. */
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

export const DEFAULT_POLL_FLUSH_INTERVAL_MS = 5_000;


/** Two marks of one key as one: the later poll's protocol, name and types, the greatest time and position. */
function merged(before: PollMark | undefined, mark: PollMark): PollMark {
  if (before === undefined) return mark;
  const later = mark.polledAt >= before.polledAt ? mark : before;
  return { ...later, polledAt: Math.max(before.polledAt, mark.polledAt), position: Math.max(before.position, mark.position) };
}

export function createPollRecorder(deps: PollRecorderDeps): PollRecorder {
  const intervalMs = deps.intervalMs ?? DEFAULT_POLL_FLUSH_INTERVAL_MS;
  const now = deps.now ?? Date.now;
  let pending = new Map<string, PollMark>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let writing: Promise<void> = Promise.resolve();

  async function write(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = new Map();
    if (batch.size === 0) return;
    try {
      await deps.store.record([...batch.values()]);
    } catch (error) {
      for (const [key, mark] of batch) pending.set(key, merged(pending.get(key), mark));
      schedule();
      deps.onError?.(error);
    }
  }

  /** One flush at a time, in order: a flush waits for the one before it. */
  function flush(): Promise<void> {
    writing = writing.then(write);
    return writing;
  }

  function schedule(): void {
    if (timer !== undefined || stopped) return;
    timer = setTimeout(() => void flush(), intervalMs);
    timer.unref(); // never holds the process open; stop() writes what is left
  }

  return {
    polled(who, collectionId, protocol, position, types) {
      const mark: PollMark = {
        collectionId,
        organizationId: who.organizationId,
        userId: who.userId,
        username: who.username,
        ...(who.apiKeyId !== undefined ? { apiKeyId: who.apiKeyId } : {}),
        protocol,
        polledAt: now(),
        position,
        ...(types !== undefined && types.length > 0 ? { types: [...new Set(types)].sort() } : {}),
      };
      const key = pollMarkKey(mark);
      pending.set(key, merged(pending.get(key), mark));
      schedule();
    },
    flush,
    async stop() {
      stopped = true;
      await flush();
    },
  };
}

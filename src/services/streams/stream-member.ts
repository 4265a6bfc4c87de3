import type { Principal } from '../../domain/principal';
import type { ChangeEvent } from '../../storage/change-feed-store';
import type { ChangeRead } from '../delivery/change-feed/change-feed-service';
import { carries, type StreamFilters, type StreamSink } from './stream-messages';
import { resumeId } from './stream-resume';
import type { PollRecorder } from '../poll-marks/poll-recorder';

/** One open stream as the broker keeps it. */
export interface Member {
  readonly reader: Principal;
  readonly collectionId: string;
  readonly filters: StreamFilters;
  readonly capKey: string;
  sink?: StreamSink;
  /** A cursor of the change feed everything up to which was delivered ('' for the beginning)... */
  cursor: string;
  /** ...and stored events at or before this position too (-1: nothing beyond the cursor). */
  seenThrough: number;
  /** The shared reader it receives from, once it caught up and joined. */
  group?: Group;
  closed: boolean;
}

/** The shared reader of one (collection, audience): one change-feed read per change for all its members. */
export interface Group {
  /** The collection and the audience (the reader's ReadScope) it reads under. */
  readonly key: string;
  readonly collectionId: string;
  readonly members: Set<Member>;
  /** Where the shared reader stands (set by the first member to join). */
  cursor?: string;
  /** Turns: one read, join or recheck at a time, in order. */
  queue: Promise<void>;
  pumpQueued: boolean;
  /** Members waiting for their turn to join. */
  joining: number;
  /** Forgotten by the broker: members waiting to join it start over. */
  dissolved: boolean;
}

export const isAccessEvent = (event: ChangeEvent) => event.operation === 'access-lost' || event.operation === 'access-gained';

export interface PageDeps {
  readonly maxBufferedBytes: number;
  /** The position a cursor names (-1 when it does not verify). */
  positionOf(collectionId: string, cursor: string): number;
  /** Closes a member too slow to keep up with its shared reader. */
  slow(member: Member): void;
}

/**
 * Writes what `member` has not seen of a page read after `from`, then stands it at the page's
 * cursor. Each event's id resumes right after it (stream-resume.ts). `pace`: wait for a slow client
 * (while it catches up on its own) or close it (a shared reader waits for nobody).
 */
export async function deliverPage(member: Member, from: string, page: ChangeRead, pace: 'wait' | 'bounded', deps: PageDeps): Promise<void> {
  const sink = member.sink;
  if (sink === undefined || member.closed) return;
  const last = page.events.length - 1;
  for (const [index, event] of page.events.entries()) {
    if (member.closed) return;
    const access = isAccessEvent(event);
    if (!access && event.position <= member.seenThrough) continue;
    if (!access) member.seenThrough = event.position;
    if (!carries(member.filters, event)) continue;
    const id =
      index === last
        ? resumeId(page.cursor, member.seenThrough > deps.positionOf(member.collectionId, page.cursor) ? member.seenThrough : -1)
        : resumeId(from, member.seenThrough);
    const buffered = sink.send({ kind: 'change', id, event });
    if (buffered > deps.maxBufferedBytes) {
      if (pace === 'bounded') {
        deps.slow(member);
        return;
      }
      await sink.drained();
    }
  }
  // A member that joined its reader ahead of it keeps its own, later cursor (the same audience):
  // were it to read on its own again, the access changes would reach as far as it has seen.
  if (deps.positionOf(member.collectionId, page.cursor) >= deps.positionOf(member.collectionId, member.cursor)) member.cursor = page.cursor;
}

/**
 * Tells the poll recorder (the console's last poll and lag, issue 16) that `member`'s client holds
 * the collection up to where its stream stands, of the types it streams. The broker calls it on
 * every heartbeat and when a stream ends: a connected client shows as polling, and is behind by no
 * more than what a heartbeat's interval let arrive.
 */
export function recordStreamPoll(polls: Pick<PollRecorder, 'polled'> | undefined, member: Member, positionOf: (collectionId: string, cursor: string) => number): void {
  if (polls === undefined || member.sink === undefined) return;
  const reached = Math.max(0, positionOf(member.collectionId, member.cursor), member.seenThrough);
  polls.polled(member.reader, member.collectionId, 'stream', reached, member.filters.types);
}

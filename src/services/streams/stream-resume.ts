/**
 * A stream event's id must resume the stream right after that event. The change feed hands out a
 * signed cursor after each page it reads, not after each event, so:
 * - the last event of a page gets the page's cursor itself;
 * - an earlier event gets `<cursor the page was read after>~<its position>`: read after that cursor
 *   and pass over stored events at or before the position.
 * Positions are unique and increase per collection, so passing over by position is exact: a purge
 * between two connections only removes events, and its own `purged` event comes at a later position.
 * A client can change the position only to receive more or fewer events it may read anyway; the
 * cursor part is verified by the change feed as always.
 */

/** Never in a cursor (`<position>.<audienceKey>.<mac>`, all three URL-safe). */
const SEPARATOR = '~';

export interface ResumePoint {
  /** A change-feed cursor, as the client sent it (the change feed verifies it). */
  readonly cursor: string;
  /** Stored events at or before this position were delivered already (-1: none beyond the cursor). */
  readonly seenThrough: number;
}

export function resumeId(cursor: string, seenThrough: number): string {
  return seenThrough < 0 ? cursor : `${cursor}${SEPARATOR}${seenThrough}`;
}

export function parseResumeId(text: string): ResumePoint {
  const at = text.lastIndexOf(SEPARATOR);
  const tail = at < 0 ? '' : text.slice(at + 1);
  // A tail that is not a position leaves the whole text to the change feed, which refuses it.
  if (!/^\d{1,16}$/.test(tail)) return { cursor: text, seenThrough: -1 };
  return { cursor: text.slice(0, at), seenThrough: Number(tail) };
}

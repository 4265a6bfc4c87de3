import type { Principal } from '../../../domain/principal';
import type { ChangeEvent } from '../../../storage/change-feed-store';

/**
 * The change feed as a reader sees it (issue 13), used by streams and sensor-feed deltas: a signed,
 * opaque cursor names a position and the audience (ReadScope) everything up to it was read under;
 * reading after a cursor whose audience is not the reader's current one first yields the
 * access-lost / access-gained events between the two. Implemented by createChangeFeedService
 * (change-feed-reader.ts).
 *
 * Cursor text: `<position>.<audienceKey>.<mac>` (HMAC-SHA256 over collection, position and audience
 * with a hub secret), so a client can neither forge an audience nor move a cursor to another collection.
 */

export interface ChangeRead {
  /** In order: access events first (when the audience changed), then stored events by position. */
  readonly events: readonly ChangeEvent[];
  /** The cursor after the last event returned (the same cursor when nothing was returned). */
  readonly cursor: string;
  /** More events follow the cursor right now. */
  readonly more: boolean;
}

export type CursorReading =
  | { readonly ok: true; readonly position: number; readonly audienceKey: string }
  | { readonly ok: false; readonly reason: string };

export interface ChangeFeedService {
  /**
   * The reader's events in the collection after `cursor` (from the beginning when undefined), at
   * most `limit` stored events (1 to 1,000; access events come all at once, before them), read with
   * what the reader may read now. Throws the catalogued errors of a collection the reader may not
   * read (NOT_FOUND / FORBIDDEN / AUTHENTICATION_REQUIRED, as TAXII reads) and INVALID_CURSOR for a cursor that
   * does not verify for this collection.
   */
  read(reader: Principal, collectionId: string, cursor: string | undefined, limit: number, options?: { readonly types?: readonly string[] }): Promise<ChangeRead>;
  /** A cursor at the collection's current end for the reader's current audience (a consumer starting "from now"). */
  currentCursor(reader: Principal, collectionId: string): Promise<string>;
  /**
   * Verifies and decodes a cursor of `collectionId`. Synchronous, so it needs the signing key loaded:
   * it is once ready() resolved (or any read or currentCursor returned); before that it answers
   * { ok: false } saying so.
   */
  decodeCursor(collectionId: string, cursor: string): CursorReading;
  /** Resolves once the signing key is loaded (decodeCursor works from then on). */
  ready(): Promise<void>;
}

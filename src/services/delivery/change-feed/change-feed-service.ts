import type { Principal } from '../../../domain/principal';
import type { ChangeEvent } from '../../../storage/change-feed-store';

/**
 * INTERFACE ONLY (the implementation is being written; see issue 13). The change feed as a reader
 * sees it, used by streams and sensor-feed deltas: a signed, opaque cursor names a position and the
 * audience (ReadScope) everything up to it was read under; reading after a cursor whose audience is
 * not the reader's current one first yields the access-lost / access-gained events between the two.
 *
 * Cursor text: `<position>.<audienceKey>.<mac>` (HMAC over collection, position and audience with a
 * hub secret), so a client can neither forge an audience nor move a cursor to another collection.
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
   * most `limit`, read with what the reader may read now. Throws the catalogued errors of a
   * collection the reader may not read (COLLECTION_NOT_FOUND / FORBIDDEN as TAXII reads do) and
   * INVALID_CURSOR for a cursor that does not verify for this collection.
   */
  read(reader: Principal, collectionId: string, cursor: string | undefined, limit: number, options?: { readonly types?: readonly string[] }): Promise<ChangeRead>;
  /** A cursor at the collection's current end for the reader's current audience (a consumer starting "from now"). */
  currentCursor(reader: Principal, collectionId: string): Promise<string>;
  /** Verifies and decodes a cursor of `collectionId`. */
  decodeCursor(collectionId: string, cursor: string): CursorReading;
}

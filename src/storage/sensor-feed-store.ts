import type { ReadScope } from '../access/read-scope';
import type { TlpLevel } from '../domain/tenancy';

/**
 * The storage port of sensor feeds (issue 13 §5): the active indicator heads of a collection that a
 * ReadScope may read, read in chunks in date_added order. Only what a feed needs is read: the head's
 * identity, marking and a trimmed form of the object (no description, kill chain, references), so
 * a feed of a million indicators does not move a million full objects.
 */

export interface ActiveIndicatorQuery {
  readonly collectionId: string;
  readonly scope: ReadScope;
  /** Active as of this instant (integer microseconds): not revoked or benign, valid_until absent or later. */
  readonly nowMicros: number;
  /** Only heads whose `confidence` is at least this (heads without a confidence are left out). */
  readonly minConfidence?: number;
  /** The whole object instead of the trimmed one (a STIX bundle carries the objects as stored). */
  readonly whole?: boolean;
  /** Exclusive: heads with a date_added after this (keyset paging). */
  readonly afterDateAdded?: number;
}

export interface ActiveIndicator {
  readonly id: string;
  readonly dateAdded: number;
  /** The head's version (its `modified`, integer microseconds). */
  readonly version: number;
  readonly providerOrgId: string;
  /** The effective marking. */
  readonly tlp: TlpLevel;
  /** The object without the properties no feed shows, or whole when asked (JSON text). */
  readonly json: string;
}

export interface ActiveIndicatorChunk {
  readonly indicators: readonly ActiveIndicator[];
  /** More heads follow the last one returned. */
  readonly more: boolean;
}

export interface SensorFeedStore {
  /** The first `limit` active, readable indicator heads of the query, in date_added order. */
  activeIndicators(query: ActiveIndicatorQuery, limit: number): Promise<ActiveIndicatorChunk>;
}

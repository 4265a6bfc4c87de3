import type { ReadScope } from '../access/read-scope';
import type { TlpLevel } from '../domain/tenancy';

/**
 * The storage port of sensor feeds (issue 13 §5): the active indicator heads of a collection that a
 * ReadScope may read, read in chunks in date_added order. Only what a feed needs is read, as columns
 * extracted in the query (no object JSON moves, none is parsed), so a feed of a million indicators
 * costs a million short rows.
 */

export interface ActiveIndicatorQuery {
  readonly collectionId: string;
  readonly scope: ReadScope;
  /** Active as of this instant (integer microseconds): not revoked or benign, valid_until absent or later. */
  readonly nowMicros: number;
  /** Only heads whose `confidence` is at least this (heads without a confidence are left out). */
  readonly minConfidence?: number;
  /** Also the whole object as stored (a STIX bundle carries the objects). */
  readonly whole?: boolean;
  /** Exclusive: heads with a date_added after this (keyset paging). */
  readonly afterDateAdded?: number;
}

export interface ActiveIndicator {
  readonly id: string;
  readonly dateAdded: number;
  readonly providerOrgId: string;
  /** The effective marking. */
  readonly tlp: TlpLevel;
  /** The properties feed entries are made of, as stored (absent when the object has none or not of this JSON type). */
  readonly modified?: string;
  readonly pattern?: string;
  readonly patternType?: string;
  readonly confidence?: number;
  readonly validUntil?: string;
  /** The hub extension's `kind`, `hash_algorithm` and `intentional` flag. */
  readonly hubKind?: string;
  readonly intentional: boolean;
  /** The object as stored (JSON text), when asked for (`whole`). */
  readonly json?: string;
}

export interface ActiveIndicatorChunk {
  readonly indicators: readonly ActiveIndicator[];
  /** More heads follow the last one returned. */
  readonly more: boolean;
}

export interface SensorFeedStore {
  /** The first `limit` active, readable indicator heads of the query, in date_added order. */
  activeIndicators(query: ActiveIndicatorQuery, limit: number): Promise<ActiveIndicatorChunk>;
  /**
   * The campaign names each indicator of the collection `indicates`, both the relationship and the
   * campaign readable under `scope` and not revoked (one query for the whole collection).
   */
  campaignNames(collectionId: string, scope: ReadScope): Promise<Map<string, string[]>>;
}

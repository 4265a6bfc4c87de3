import type { ReadScope } from '../access/read-scope';
import type { TlpLevel } from '../domain/tenancy';
import type { DerivedEntries, FeedSource, FeedValue } from '../domain/feeds/feed-derivation';

/**
 * The storage port of sensor feeds (issue 13 §5): the active indicator heads of a collection that a
 * ReadScope may read, in chunks in date_added order, each with what it gives a feed when that was
 * worked out before (feed_entries, migration 015). A version's entries never change, so they are
 * worked out once (by the feed service, from the few properties indicatorSources extracts) and
 * saved; a feed of a million indicators then reads a million short rows, no object JSON.
 */

export interface ActiveIndicatorQuery {
  readonly collectionId: string;
  readonly scope: ReadScope;
  /** Active as of this instant (integer microseconds): not revoked or benign, valid_until absent or later. */
  readonly nowMicros: number;
  /** Entries saved by this derivation count; others are read as not worked out. */
  readonly derivation: number;
  /** Also the whole object as stored (a STIX bundle carries the objects). */
  readonly whole?: boolean;
  /** Exclusive: heads with a date_added after this (keyset paging). */
  readonly afterDateAdded?: number;
}

/** One value a version gives a feed. */
export type StoredFeedValue = FeedValue;

/** What one indicator version gives a feed. */
export type DerivedFeedEntries = DerivedEntries;

export interface ActiveIndicator {
  readonly id: string;
  readonly dateAdded: number;
  /** The head's version (`modified`, integer microseconds). */
  readonly version: number;
  readonly providerOrgId: string;
  /** The effective marking. */
  readonly tlp: TlpLevel;
  /** What it gives a feed, when worked out before by the query's derivation. */
  readonly derived?: DerivedFeedEntries;
  /** The object as stored (JSON text), when asked for (`whole`). */
  readonly json?: string;
}

export interface ActiveIndicatorChunk {
  readonly indicators: readonly ActiveIndicator[];
  /** More heads follow the last one returned. */
  readonly more: boolean;
}

/** The properties of a stored version that its feed entries are worked out of (absent: not in the object, or not of the JSON type). */
export interface IndicatorSource extends FeedSource {
  readonly dateAdded: number;
}

export interface SensorFeedStore {
  /** The first `limit` active, readable indicator heads of the query, in date_added order. */
  activeIndicators(query: ActiveIndicatorQuery, limit: number): Promise<ActiveIndicatorChunk>;
  /** The sources of the given versions (by date_added) of the collection. */
  indicatorSources(collectionId: string, dateAddeds: readonly number[]): Promise<IndicatorSource[]>;
  /** Saves what versions give a feed; a version saved already (or gone since) is passed over. */
  saveDerived(collectionId: string, derivation: number, versions: readonly { readonly dateAdded: number; readonly derived: DerivedFeedEntries }[]): Promise<void>;
  /**
   * The campaign names each indicator of the collection `indicates`, both the relationship and the
   * campaign readable under `scope` and not revoked (one query for the whole collection).
   */
  campaignNames(collectionId: string, scope: ReadScope): Promise<Map<string, string[]>>;
}

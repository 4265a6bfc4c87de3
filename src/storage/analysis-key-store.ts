import type { AnalysisKey } from '../domain/analysis/analysis-keys';
import type { DerivedFeedEntries } from './sensor-feed-store';

/**
 * The storage port of the analysis indexer (issue 15, migration 018): which collections have
 * versions without analysis keys, those indicator versions with what they give a feed when that was
 * worked out before, and the keys written with the collection's watermark.
 */

export interface AnalysisBacklog {
  readonly collectionId: string;
  /** Every version at or before this date_added has its keys. */
  readonly indexedThrough: number;
  /** The collection clock: the highest date_added committed. */
  readonly lastDateAdded: number;
}

export interface IndexableVersion {
  readonly dateAdded: number;
  /** The indicator's STIX id. */
  readonly id: string;
  /** What the version gives a feed, when worked out before (feed_entries of the derivation asked for). */
  readonly derived?: DerivedFeedEntries;
}

export interface IndexedVersion {
  readonly dateAdded: number;
  readonly keys: readonly AnalysisKey[];
}

/** A collection whose keyed versions the early-warning listeners have not all heard. */
export interface AnnouncementBacklog {
  readonly collectionId: string;
  /** The listeners have heard every keyed version at or before this date_added. */
  readonly announcedThrough: number;
  /** The collection's analysis watermark: every version at or before it has its keys. */
  readonly indexedThrough: number;
}

export interface AnalysisKeyStore {
  /** Collections whose clock is past their watermark. */
  backlog(): Promise<AnalysisBacklog[]>;
  /**
   * The first `limit` indicator versions of the collection with date_added in (after, atMost] that
   * are heads when read, in date_added order.
   */
  versions(collectionId: string, after: number, atMost: number, derivation: number, limit: number): Promise<IndexableVersion[]>;
  /**
   * Indicator heads without keys that became heads again through a change feed event in (after,
   * atMost]: a TAXII DELETE of the latest version leaves an older one, whose keys were dropped when
   * it was superseded.
   */
  restoredHeads(collectionId: string, after: number, atMost: number, derivation: number): Promise<IndexableVersion[]>;
  /**
   * Writes the versions' keys, drops the keys of the versions of the same indicators that are no
   * longer heads, and moves the watermark forward to `through` (never back), in one transaction.
   */
  record(collectionId: string, versions: readonly (IndexedVersion & { readonly id: string })[], through: number): Promise<void>;
  /** Collections whose announcement mark is behind their watermark (migration 023). */
  announcementBacklog(): Promise<AnnouncementBacklog[]>;
  /** The first `limit` versions with keys, date_added in (after, atMost], in date_added order, each with its keys. */
  keyedVersions(collectionId: string, after: number, atMost: number, limit: number): Promise<IndexedVersion[]>;
  /** Moves the announcement mark forward to `through` (never back). */
  announced(collectionId: string, through: number): Promise<void>;
}

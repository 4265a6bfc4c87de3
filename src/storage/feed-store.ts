import type { ReadScope } from '../access/read-scope';

/**
 * The storage port of a collection read as a feed: every stored version is a record labelled with
 * its date_added (integer microseconds, unique and strictly increasing per collection, committed in
 * label order), which is what TAXII 1.1 Data Feeds and the delivery engine walk. Reads take a
 * ReadScope so access filtering happens inside the query: counts and pages never include a record
 * the reader may not read.
 */

/** Records of one collection with labels in (addedAfter, addedAtMost], readable under `scope`. */
export interface FeedRange {
  readonly collectionId: string;
  readonly scope: ReadScope;
  /** Only versions of these STIX types (all when absent). */
  readonly types?: readonly string[];
  /** Exclusive lower bound (none when absent). */
  readonly addedAfter?: number;
  /** Inclusive upper bound (none when absent). */
  readonly addedAtMost?: number;
}

export interface FeedRecord {
  readonly dateAdded: number;
  readonly id: string;
  readonly type: string;
  /** The organization that provides the object (not to be shown where attribution is hidden). */
  readonly providerOrgId: string;
  /** The object, as the JSON text stored. */
  readonly json: string;
}

export interface FeedPage {
  /** In label order, at most the limit asked for. */
  readonly records: readonly FeedRecord[];
  /** True when more records of the range follow the last one returned. */
  readonly more: boolean;
}

/** A range cut into runs of `size` records in label order (see FeedStore.partition). */
export interface FeedPartition {
  /** How many records the range holds. */
  readonly count: number;
  /** The label of the last record of each run (the last run may be shorter); empty for an empty range. */
  readonly ends: readonly number[];
}

/** A campaign that an indicator `indicates` (through a relationship), both readable. */
export interface IndicatedCampaign {
  readonly indicatorId: string;
  readonly campaignId: string;
  readonly name: string;
}

export interface FeedStore {
  /** The first `limit` records of the range, in label order. */
  records(range: FeedRange, limit: number): Promise<FeedPage>;
  /** How many records the range holds. */
  count(range: FeedRange): Promise<number>;
  /** The range's count and where each run of `size` records ends, reading labels only (TAXII 1.1 result-set parts). */
  partition(range: FeedRange, size: number): Promise<FeedPartition>;
  /**
   * The campaigns the given indicators indicate in the collection: an `indicates` relationship from
   * the indicator to a campaign, the latest version of each readable under `scope` and not revoked.
   */
  indicatedCampaigns(collectionId: string, scope: ReadScope, indicatorIds: readonly string[]): Promise<IndicatedCampaign[]>;
  /**
   * The highest label committed in the collection (0 when nothing was ever written). Every label
   * assigned from now on is higher, so a range that ends here is complete for good.
   */
  lastLabel(collectionId: string): Promise<number>;
  /** lastLabel for several collections at once (0 for those never written). */
  lastLabels(collectionIds: readonly string[]): Promise<Map<string, number>>;
}

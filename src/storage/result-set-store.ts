/**
 * The storage port of TAXII 1.1 poll result sets: immutable snapshots of a multi-part poll answer
 * (MP-05), owned by the organization and user that polled (MP-06, MT-02), kept until they expire.
 */

export interface ResultSet {
  /** A random UUID, the TAXII result_id. */
  readonly id: string;
  readonly collectionId: string;
  readonly ownerOrgId: string;
  readonly ownerUserId: string;
  /** The poll's exclusive lower label bound (none: from the start of the feed). */
  readonly exclusiveBegin?: number;
  /** The window's inclusive upper label bound; the last cut. */
  readonly inclusiveEnd: number;
  /** The upper label bound of each part: part k covers (cuts[k-2], cuts[k-1]], part 1 from exclusiveBegin. */
  readonly cuts: readonly number[];
  /** Readable records in the window when the set was made, under the scope `scopeKey` names. */
  readonly totalCount: number;
  /** At most this many records per part, as made. */
  readonly partSize: number;
  /** The content binding every block of the set is rendered in. */
  readonly contentBinding: string;
  /** The subscription polled, echoed in every part. */
  readonly subscriptionId?: string;
  /** The canonical JSON of the ReadScope totalCount was counted under. */
  readonly scopeKey: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds; from then on the set is gone. */
  readonly expiresAt: number;
}

export interface ResultSetStore {
  create(set: ResultSet): Promise<void>;
  /** The set with this id owned by `ownerOrgId` (undefined for one of another organization: MT-02). */
  get(id: string, ownerOrgId: string): Promise<ResultSet | undefined>;
  /** Deletes every set expired at `nowMs`; answers how many. */
  deleteExpired(nowMs: number): Promise<number>;
}

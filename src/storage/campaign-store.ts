import type { ReadScope } from '../access/read-scope';
import type { TlpLevel } from '../domain/tenancy';

/**
 * The storage port of campaign candidates (issue 15 §2): what the shared-key graph is built and
 * caught up from (active, in-window indicator heads sharing analysis keys, with the facts access is
 * decided on), the values and campaigns of the members shown, and rejections (migration 019).
 */

/** A collection a reader may read, with what it may read there. */
export interface ReadableCollection {
  readonly collectionId: string;
  readonly scope: ReadScope;
}

export interface HeadRef {
  readonly collectionId: string;
  readonly dateAdded: number;
}

/** What a candidate shows of one member (its head). */
export interface MemberFacts extends HeadRef {
  readonly id: string;
  readonly providerOrgId: string;
  readonly tlp: TlpLevel;
  readonly recipients: readonly string[];
  /** The submission (transaction) that wrote the head; a version older than migration 019 is one of its own. */
  readonly submission: string;
  /** The indicator's `created` (when it was first made), microseconds. */
  readonly firstAdded: number;
  /** The indicator's first value as the hub normalised it (kind and value), when known. */
  readonly kind?: string;
  readonly value?: string;
}

/** An active indicator head as the shared-key graph keeps it: what deciding access in TypeScript needs. */
export interface GraphHead extends Omit<MemberFacts, 'kind' | 'value'> {
  readonly namedReaders: readonly string[];
  /** valid_until in microseconds, or null. */
  readonly validUntil: number | null;
}

/** One key of one active head. */
export interface GraphRow extends GraphHead {
  readonly key: string;
}

/** An analysis key row added after a graph's mark, with its version's head facts when it is an active indicator head. */
export interface AddedKeyRow {
  readonly collectionId: string;
  readonly dateAdded: number;
  readonly id: string;
  readonly key: string;
  /** Absent when the version is no longer the head, or is revoked, benign or not an indicator. */
  readonly head?: GraphHead;
}

/** Per collection, the latest date_added (microseconds) of analysis keys a graph has read. */
export type KeyMarks = ReadonlyMap<string, number>;

/** An indicator that indicates a campaign the reader may read (both readable, in one collection). */
export interface CampaignLink {
  readonly collectionId: string;
  readonly indicatorId: string;
  readonly campaignId: string;
  readonly name: string;
}

export interface CandidateRejection {
  readonly candidateId: string;
  readonly rejectedAt: number;
  readonly rejectedBy: string;
  readonly organizationId: string;
  readonly reason?: string;
  /** `<collection id>/<object id>` of each member the rejecter saw. */
  readonly members: readonly string[];
}

export interface CampaignStore {
  /**
   * Every collection's shared-key graph from scratch: the keys that two or more active (not revoked
   * nor benign, not expired at `nowMicros`) indicator heads added at or after `sinceMicros` carry, with
   * those heads, whoever reads them; and the marks of the keys read (taken first, so rows added while
   * the query runs are read again by the next catch-up).
   */
  graphRows(sinceMicros: number, nowMicros: number): Promise<{ rows: GraphRow[]; marks: Map<string, number> }>;
  /** The analysis key rows added after each collection's mark (after `sinceMicros` where a collection has none), and the new marks. */
  keysAddedAfter(marks: KeyMarks, sinceMicros: number): Promise<{ rows: AddedKeyRow[]; marks: Map<string, number> }>;
  /** The active indicator heads added at or after `sinceMicros` that carry each of these keys, at most `perKey` per key. */
  headsHolding(keys: readonly string[], sinceMicros: number, perKey: number): Promise<GraphRow[]>;
  /** Which of these versions are still active indicator heads (not superseded, revoked, benign or deleted), by `<collection id>/<date_added>`. */
  stillActive(heads: readonly HeadRef[]): Promise<Set<string>>;
  /** The first value (kind and value) of each of these heads, where the hub worked it out, by `<collection id>/<date_added>`. */
  valuesOf(heads: readonly HeadRef[]): Promise<Map<string, { readonly kind: string; readonly value: string }>>;
  /** The campaigns these indicators indicate, among what the reader may read. */
  campaignsOf(readable: readonly ReadableCollection[], indicators: readonly { readonly collectionId: string; readonly id: string }[]): Promise<CampaignLink[]>;
  rejections(): Promise<CandidateRejection[]>;
  recordRejection(rejection: CandidateRejection): Promise<void>;
}

import type { ReadScope } from '../access/read-scope';
import type { TlpLevel } from '../domain/tenancy';

/**
 * The storage port of campaign candidates (issue 15 §2): the analysis keys that active, in-window
 * indicator heads a reader may read share, the facts of the heads a candidate holds, the campaigns
 * they already indicate, and rejections (migration 019).
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

/** One key of one readable head that at least one other readable head shares, with the head's facts. */
export interface SharedKeyRow extends Omit<MemberFacts, 'kind' | 'value'> {
  readonly key: string;
}

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
   * The keys shared by two or more heads among the readable, active (not revoked nor benign, not
   * expired at `nowMicros`) indicator heads added at or after `sinceMicros`, with the heads that carry them.
   */
  sharedKeys(readable: readonly ReadableCollection[], sinceMicros: number, nowMicros: number): Promise<SharedKeyRow[]>;
  /** The first value (kind and value) of each of these heads, where the hub worked it out, by `<collection id>/<date_added>`. */
  valuesOf(heads: readonly HeadRef[]): Promise<Map<string, { readonly kind: string; readonly value: string }>>;
  /** The campaigns these indicators indicate, among what the reader may read. */
  campaignsOf(readable: readonly ReadableCollection[], indicators: readonly { readonly collectionId: string; readonly id: string }[]): Promise<CampaignLink[]>;
  rejections(): Promise<CandidateRejection[]>;
  recordRejection(rejection: CandidateRejection): Promise<void>;
}

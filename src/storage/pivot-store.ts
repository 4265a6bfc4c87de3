import type { ReadScope } from '../access/read-scope';
import type { TlpLevel } from '../domain/tenancy';
import type { StoredFeedValue } from './sensor-feed-store';

/**
 * The storage port of the pivot (issue 15 §1). Every method takes the collections searched, each
 * with the caller's ReadScope there, reads maintained heads only (is_head) filtered by that scope
 * inside the query, and answers for a whole frontier at once (one query per relation per hop).
 * `limit` bounds the rows a query returns (a popular value must not make a huge answer).
 */

export interface ScopedCollection {
  readonly collectionId: string;
  readonly scope: ReadScope;
}

export interface ObjectRef {
  readonly collectionId: string;
  readonly id: string;
}

/** An indicator head found through one of its analysis keys, with the frontier's key, prefix or network that found it. */
export interface KeyHit extends ObjectRef {
  readonly key: string;
  readonly origin: string;
}

export interface PivotHead extends ObjectRef {
  readonly type: string;
  readonly providerOrgId: string;
  readonly tlp: TlpLevel;
  /** TLP:RED: the organizations named. */
  readonly recipients: readonly string[];
  readonly lifecycle?: 'revoked' | 'benign';
  /** Microseconds. */
  readonly validUntil?: number;
  readonly created?: string;
  readonly modified?: string;
  readonly name?: string;
  /** The feed entries (indicators): its kinds and normalised values. */
  readonly values: readonly StoredFeedValue[];
  /** The object itself, when asked for. */
  readonly json?: string;
  /** sighting_of_ref, object_refs and the like: what a sighting or opinion is about. */
  readonly refs: readonly string[];
}

export interface CampaignLink {
  readonly collectionId: string;
  readonly indicatorId: string;
  readonly campaignId: string;
}

export interface PivotStore {
  /** Indicator heads holding any of `keys`; origin is the key. */
  sameKeys(scopes: readonly ScopedCollection[], keys: readonly string[], limit: number): Promise<KeyHit[]>;
  /** Indicator heads with a host key under one of the prefixes (subdomainKeyPrefix); origin is the prefix. */
  subdomains(scopes: readonly ScopedCollection[], prefixes: readonly string[], limit: number): Promise<KeyHit[]>;
  /** Indicator heads whose address or network holds or lies in one of `nets` (not equal to it); origin is the net. */
  overlapping(scopes: readonly ScopedCollection[], nets: readonly string[], limit: number): Promise<KeyHit[]>;
  /** The heads of objects (any type), with their feed entries; `whole` adds the object. */
  heads(scopes: readonly ScopedCollection[], refs: readonly ObjectRef[], whole: boolean): Promise<PivotHead[]>;
  /** The heads of every object with this id in the collections. */
  headsWithId(scopes: readonly ScopedCollection[], id: string, whole: boolean): Promise<PivotHead[]>;
  /** The readable campaigns the indicators indicate, through readable `indicates` relationships of their collection. */
  campaignsOf(scopes: readonly ScopedCollection[], indicators: readonly ObjectRef[], limit: number): Promise<CampaignLink[]>;
  /** The readable indicator heads that indicate the campaigns, through readable relationships. */
  membersOf(scopes: readonly ScopedCollection[], campaigns: readonly ObjectRef[], limit: number): Promise<CampaignLink[]>;
}

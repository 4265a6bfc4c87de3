import type { ActivityInput, ActivityMember, CampaignLink, NewIndicator, Neighbour } from '../domain/analysis/campaign-activity';

/**
 * The storage port of early warning (issue 15 §3, migration 020): the new indicators of an indexed
 * batch with their neighbours, the campaigns those neighbours indicate, and the `campaign-activity`
 * events written into a collection's change feed.
 */

export interface NeighbourQuery {
  readonly collectionId: string;
  /** The batch's versions (date_added). */
  readonly dateAdded: readonly number[];
  /**
   * Neighbours added at most this long before the new indicator (microseconds); in other collections
   * also after it (their indexer pass may have come first).
   */
  readonly windowMicros: number;
  /** Heads whose valid_until is at or before this are expired (microseconds). */
  readonly nowMicros: number;
  /** The feed-entry derivation whose saved values name the new indicators' values. */
  readonly derivation: number;
  /**
   * Only versions added at or after this (microseconds) and whose STIX `created` is at or after
   * `createdSince` (an RFC 3339 UTC timestamp, as STIX writes them) are new submissions: keying a
   * store's history, or intelligence imported with its old dates, announces nothing.
   */
  readonly addedSince: number;
  readonly createdSince: string;
}

/** A new indicator of the batch with its neighbours (possibly none). */
export interface NewIndicatorNeighbours {
  readonly indicator: NewIndicator;
  readonly neighbours: readonly (Neighbour & { readonly dateAdded: number })[];
}

/** Members a step further: the active heads sharing a key with `members` (not the members themselves). */
export interface FurtherQuery {
  readonly members: readonly { readonly collectionId: string; readonly dateAdded: number }[];
  /** Only heads added in [from, to] (microseconds). */
  readonly from: number;
  readonly to: number;
  readonly nowMicros: number;
}

/** A head found a step further, with the member (`<collection> <id>`) it shares a key with. */
export interface FurtherRow {
  readonly via: string;
  readonly member: ActivityMember;
}

/** One event to write: a notice for `recipients` about a new indicator. */
export interface ActivityEvent {
  readonly indicator: Pick<NewIndicator, 'collectionId' | 'dateAdded' | 'id' | 'version'>;
  readonly recipients: readonly string[];
  /** The notice document (JSON text). */
  readonly json: string;
}

export interface CampaignActivityStore {
  /**
   * Among the batch's versions, the new submissions: each indicator's first version in its
   * collection, recent (see NeighbourQuery), still its head, neither revoked nor benign nor expired; with the active indicator
   * heads (any collection) that share an analysis key with it within the window. One query.
   */
  neighbours(query: NeighbourQuery): Promise<NewIndicatorNeighbours[]>;
  /** The heads one step beyond `members` (one query; at most so many per key of each member). */
  further(query: FurtherQuery): Promise<FurtherRow[]>;
  /** The `indicates` relationships from these indicators to campaigns (both heads, not revoked), in their collections. */
  campaignLinks(members: readonly { readonly collectionId: string; readonly id: string }[]): Promise<CampaignLink[]>;
  /**
   * Writes the events into the collection's change feed, under its clock lock, each at a fresh
   * position, leaving out indicator versions announced in that collection before (by any hub
   * process). Returns how many were written.
   */
  announce(collectionId: string, events: readonly ActivityEvent[], nowMicros: number): Promise<number>;
}

export type { ActivityInput };

import type { ReadScope } from '../access/read-scope';

/**
 * The storage port of the change feed (issue 13): every committed change in a collection is an
 * event with a durable position, read in position order by every channel (webhooks, TAXII 2.1
 * forwarding, streams, sensor-feed deltas, the TAXII 1.1 push), each with its own cursor.
 *
 * Positions share the collection clock with date_added: a stored version's event has the version's
 * date_added as its position; a removal (deleted, purged) or an expiry takes a fresh label from the
 * same clock in the transaction that makes it. So positions are unique and strictly increasing per
 * collection, committed in order, and a range that ends at the clock is complete for good.
 *
 * Reads take a ReadScope so access filtering happens inside the query: an event is readable when
 * the object's access facts (provider, marking, RED recipients) are readable under the scope. A
 * removal keeps the access facts of the head it removed. A removal of the head that leaves older
 * versions is an event carrying the new head (updated, revoked, benign or expired, as its state
 * says), preceded by the removal when the two heads' readers differ. Implemented over SQL by
 * SqlChangeFeedStore and SqlAudienceStore (migration 012).
 */

/** Operations the store records. */
export const STORED_CHANGE_OPERATIONS = ['created', 'updated', 'revoked', 'benign', 'expired', 'deleted', 'purged', 'campaign-activity'] as const;
export type StoredChangeOperation = (typeof STORED_CHANGE_OPERATIONS)[number];

/**
 * Operations whose event carries a notice about the object, not a version of it (json is the
 * notice's document, see docs/analysis.md "Early warning"): `campaign-activity` (issue 15 §3).
 * Consumers that keep objects (feeds, the match index, mirrors, TAXII channels) pass them over.
 */
export const NOTICE_OPERATIONS: readonly ChangeOperation[] = ['campaign-activity'];

/**
 * Every operation a consumer can receive. `access-lost` / `access-gained` are not stored: they are
 * computed per consumer when the audience it reads under changed (membership change, group
 * deleted), see ChangeFeedStore.accessChanges.
 */
export const CHANGE_OPERATIONS = [...STORED_CHANGE_OPERATIONS, 'access-lost', 'access-gained'] as const;
export type ChangeOperation = (typeof CHANGE_OPERATIONS)[number];

/** Operations after which the object is no longer in a consumer's active set. */
export const REMOVAL_OPERATIONS: readonly ChangeOperation[] = ['revoked', 'benign', 'expired', 'deleted', 'purged', 'access-lost'];

export interface ChangeEvent {
  /** The durable position in the collection (see above). Access events carry the position they were computed at. */
  readonly position: number;
  readonly collectionId: string;
  readonly objectId: string;
  /** The STIX type of the object. */
  readonly type: string;
  readonly operation: ChangeOperation;
  /** The organization that provides the object (not to be shown where attribution is hidden). */
  readonly providerOrgId: string;
  /** The STIX version (modified, integer microseconds) the event is about. */
  readonly version: number;
  /**
   * The object as stored (JSON text): the version written (created, updated, revoked, benign), the
   * head that expired (expired), the head now readable (access-gained). Absent for deleted, purged
   * and access-lost: a consumer learns only the id of what it may no longer hold.
   */
  readonly json?: string;
}

/** Events of one collection with positions in (after, atMost], readable under `scope`. */
export interface ChangeRange {
  readonly collectionId: string;
  readonly scope: ReadScope;
  /** Exclusive lower bound (from the beginning when absent). */
  readonly after?: number;
  /** Inclusive upper bound (none when absent). */
  readonly atMost?: number;
  /** Only events about objects of these STIX types (all when absent). */
  readonly types?: readonly string[];
}

export interface ChangePage {
  /** In position order, at most the limit asked for. */
  readonly events: readonly ChangeEvent[];
  /** True when more events of the range follow the last one returned. */
  readonly more: boolean;
}

/** What an expiry pass emitted. */
export interface ExpiryPass {
  /** Collections that received `expired` events, with how many each. */
  readonly emitted: ReadonlyMap<string, number>;
}

export interface ChangeFeedStore {
  /** The first `limit` events of the range, in position order. */
  events(range: ChangeRange, limit: number): Promise<ChangePage>;
  /**
   * How many stored events the range holds (versions, removals, expiries; never the per-reader
   * access-lost / access-gained), counted up to `cap + 1` at most: a delivery's backlog.
   */
  countEvents(range: ChangeRange, cap: number): Promise<number>;
  /** The collection clock: the highest position committed (0 when nothing was ever written). */
  lastPosition(collectionId: string): Promise<number>;
  /**
   * The objects whose readability changed between two scopes, for a consumer whose cursor stands at
   * `through` (everything up to it was delivered under `before`), in object id order:
   * - `access-lost`: some version at a position <= `through` was readable under `before`, and the
   *   object's head is not readable under `after`; also an object deleted or purged after `through`
   *   whose removed head was readable under `before` and is not under `after` (its removal event,
   *   filtered by `after`, would never reach the reader);
   * - `access-gained`: the head is at a position <= `through`, readable under `after`, and no
   *   version at a position <= `through` was readable under `before` (json: the head).
   * Each event's position is `through`.
   */
  accessChanges(collectionId: string, before: ReadScope, after: ReadScope, through: number): Promise<ChangeEvent[]>;
  /**
   * Emits an `expired` event (a fresh label under the collection's clock lock) for every indicator
   * head, not revoked or benign, whose valid_until is at or before `nowMicros` and was not announced
   * before; each is announced once per head version.
   */
  emitExpirations(nowMicros: number): Promise<ExpiryPass>;
}

/**
 * Audiences: the ReadScopes consumers read under, stored by a key (a digest of the scope's
 * canonical form) so a cursor can name the audience it was delivered under without carrying it.
 */
export interface AudienceStore {
  /** Stores the scope if new; returns its key. */
  remember(scope: ReadScope): Promise<string>;
  /** The scope stored under `key`, if any. */
  scopeOf(key: string): Promise<ReadScope | undefined>;
}

import type { ReadScope } from '../access/read-scope';
import type { SpecVersionMatch, VersionMatch } from '../domain/object-filters';
import type { IndicatorState } from '../domain/lifecycle/indicator-state';
import type { TlpLevel } from '../domain/tenancy';
import type { NewAuditEntry } from './tenancy-store';

/**
 * The storage port for shared STIX objects. Every stored version carries the hub's metadata next to
 * the object: its collection, a date_added (integer microseconds, unique and strictly increasing per
 * collection, assigned at write), the provider organization and the effective TLP marking with the
 * named recipients of a RED object. Reads take a ReadScope so that access filtering happens inside
 * the query: pages stay full and nothing unreadable is counted.
 */

export interface NewObjectVersion {
  readonly id: string;
  readonly type: string;
  readonly specVersion: string;
  /** The version, in microseconds: `modified`, else `created`, else 0 (one version only; TAXII reports its date_added). */
  readonly version: number;
  readonly providerOrgId: string;
  readonly tlp: TlpLevel;
  readonly recipients: readonly string[];
  readonly object: Readonly<Record<string, unknown>>;
  /** Who wrote it (an actor name), when known. */
  readonly writtenBy?: string;
  /**
   * Organizations that read this version whatever its marking (access: 'reported-to-provider'). An
   * append given the writer's `reader` scope works them out itself for a report (sighting, opinion,
   * note: the providers of what it reports on that the scope reads, other than its own provider) and
   * ignores this; otherwise they are stored as given (none when absent).
   */
  readonly namedReaders?: readonly string[];
}

/** What became of one version in an append: stored anew, or already there (identical or not). */
export type AppendOutcome =
  | { readonly kind: 'added'; readonly dateAdded: number }
  | { readonly kind: 'duplicate'; readonly dateAdded: number; readonly identical: boolean };

/**
 * Which stored versions a TAXII request selects. Version selection (first/last, the latest spec
 * version) happens among the versions the scope may read, so a consumer never learns of versions it
 * cannot read: one that reads only an older version gets that one as the last.
 */
export interface ObjectSelection {
  readonly collectionId: string;
  readonly scope: ReadScope;
  /** match[id]: any of these STIX ids. */
  readonly ids?: readonly string[];
  /** match[type]: any of these STIX types. */
  readonly types?: readonly string[];
  readonly specVersions: SpecVersionMatch;
  readonly versions: VersionMatch;
}

/** A page of selected versions in date_added order: those added strictly after `addedAfter`, at most `limit`. */
export interface ObjectPageSelection extends ObjectSelection {
  readonly addedAfter?: number;
  readonly limit: number;
}

/** One version as the manifest (§5.3.1) and the versions list (§5.8.1) describe it. */
export interface ManifestEntry {
  readonly dateAdded: number;
  readonly id: string;
  readonly type: string;
  readonly specVersion: string;
  /** As stored: 0 for an object without created/modified (see effectiveVersion). */
  readonly version: number;
  /**
   * The version as the object states it (its `modified`, else `created`), from selectManifest;
   * absent for an object with neither.
   */
  readonly stixVersion?: string;
}

/** A version with its object, as the JSON text stored, so a response can carry it without re-encoding. */
export interface ObjectEntry extends ManifestEntry {
  readonly json: string;
}

export interface SelectedPage<T> {
  readonly entries: readonly T[];
  /** True when more selected versions follow the last one returned. */
  readonly more: boolean;
}

/** What access needs to know about an object's readable versions: who provides them, how they are marked. */
export interface StoredVersionFacts {
  readonly providerOrgId: string;
  readonly tlp: TlpLevel;
  readonly recipients: readonly string[];
  /** See NewObjectVersion.namedReaders. */
  readonly namedReaders: readonly string[];
}

/** The versions of one object to delete: those selected, provided by one of `providerOrgIds`. */
export interface ObjectDeletion extends Omit<ObjectSelection, 'ids' | 'types'> {
  readonly id: string;
  readonly providerOrgIds: readonly string[];
}

export interface DeletedVersion {
  readonly id: string;
  readonly dateAdded: number;
  readonly specVersion: string;
  readonly version: number;
}

export interface ObjectStore {
  /**
   * Stores versions in one collection in one transaction. Versions of one collection are committed
   * in date_added order (writers serialise on the collection's clock), so a reader paging by
   * date_added can never pass a version that commits later with an earlier date_added.
   */
  append(collectionId: string, versions: readonly NewObjectVersion[], nowMicros: number): Promise<AppendOutcome[]>;
  /** The selected versions with their objects, in date_added order (TAXII Get Objects, Get an Object). */
  selectObjects(query: ObjectPageSelection): Promise<SelectedPage<ObjectEntry>>;
  /** The selected versions without their objects, in date_added order (TAXII manifest, versions). */
  selectManifest(query: ObjectPageSelection): Promise<SelectedPage<ManifestEntry>>;
  /** The distinct facts of the versions of object `id` that `scope` may read; empty when it reads none (or none exist). */
  readableVersionFacts(collectionId: string, scope: ReadScope, id: string): Promise<StoredVersionFacts[]>;
  /**
   * Deletes the selected versions and, in the same transaction when any were deleted, appends the
   * audit entry `audit` makes of them. Returns what was deleted, in date_added order.
   */
  deleteVersions(deletion: ObjectDeletion, audit: (deleted: readonly DeletedVersion[]) => NewAuditEntry): Promise<DeletedVersion[]>;
  /**
   * append() for versions one organization provides (every version's providerOrgId is `providerOrgId`).
   * In the same transaction, under the collection's clock lock, a version whose id another organization
   * already provides in the collection is not stored ('provided-by-another'): an id has one provider.
   * Nor is a new version of an object that has a revoked version ('revoked'): revocation is final.
   * `audit`, when given, makes the audit records of the outcomes, appended in the same transaction.
   * `guard`, when given, is asked under the lock about every version not stored yet ('refused' when it objects).
   * `reader`, when given, is the scope the writer's organization reads the collection under
   * (access.reporterScope): the named readers of every report are worked out from it under the lock,
   * before the guard is asked (see NewObjectVersion.namedReaders and SightingStore).
   */
  appendAsProvider(
    collectionId: string,
    providerOrgId: string,
    versions: readonly NewObjectVersion[],
    nowMicros: number,
    audit?: (outcomes: readonly ProviderAppendOutcome[]) => readonly NewAuditEntry[],
    guard?: AppendGuard,
    reader?: ReadScope,
  ): Promise<ProviderAppendOutcome[]>;
  /**
   * Runs `work` in one transaction holding the collection's clock lock; date_added values it assigns
   * are at least `nowMicros`. Everything `work` writes commits together, or nothing does.
   */
  writeLocked<T>(collectionId: string, nowMicros: number, work: (session: CollectionWriteSession) => Promise<T>): Promise<T>;
  /**
   * writeLocked over several collections in ONE transaction: every clock is locked first, in sorted
   * collection-id order (so two such writers cannot deadlock), and held to commit. `work` gets one
   * session per collection, keyed by id; everything commits together, or nothing does.
   */
  writeLockedMany<T>(collectionIds: readonly string[], nowMicros: number, work: (sessions: ReadonlyMap<string, CollectionWriteSession>) => Promise<T>): Promise<T>;
  /** Every version of object `id` in the collection that `scope` may read, oldest version first. */
  objectHistory(collectionId: string, scope: ReadScope, id: string): Promise<HistoryVersion[]>;
  /**
   * Removes every version of `id` in every collection (only those provided by one of `providers`,
   * unless 'any'), every relationship and sighting naming it, every opinion and note whose object_refs
   * name it, and every object the hub made that
   * nothing names any more (a campaign, a provider identity), with the audit record `audit` makes, in one transaction.
   * Returns what was removed; empty when nothing matched (then nothing is audited).
   */
  purgeObject(id: string, providers: readonly string[] | 'any', audit: (deleted: readonly PurgedVersion[], dependents: readonly PurgedDependent[]) => NewAuditEntry): Promise<PurgedVersion[]>;
  /** The id of the hub's own identity, made (random, `make`) the first time it is asked for. */
  hubIdentityId(make: () => string): Promise<string>;
  /** A page of indicators as IndicatorListQuery selects them: at most `limit + 1` (the extra one says more follow). */
  indicatorHeads(query: IndicatorListQuery): Promise<HistoryVersion[]>;
}

/** One version of an object as its history shows it. */
export interface HistoryVersion {
  readonly id: string;
  readonly dateAdded: number;
  readonly version: number;
  readonly providerOrgId: string;
  readonly object: Readonly<Record<string, unknown>>;
  readonly writtenBy?: string;
}

/** The latest stored version (highest version) of an object in a collection, whoever may read it, with its marking. */
export interface StoredHead extends HistoryVersion {
  readonly tlp: TlpLevel;
  readonly recipients: readonly string[];
  /** See NewObjectVersion.namedReaders. */
  readonly namedReaders: readonly string[];
}

/** A provider's deduplication key of a submitted indicator: its kind and normalised value. */
export interface IndicatorKey {
  readonly kind: string;
  readonly value: string;
}

/** The map key of an IndicatorKey in keyedIndicators' answer. */
export const indicatorKeyString = (key: IndicatorKey): string => `${key.kind}\u0000${key.value}`;

/**
 * One collection's writes under its clock lock, in one transaction: what a session reads stays true
 * until it commits, because every writer of the collection waits for the lock. Read-decide-write
 * sequences (deduplicating submissions, lifecycle transitions) therefore never race.
 */
export interface CollectionWriteSession {
  readonly collectionId: string;
  /** The head of each of these objects that is stored in the collection. */
  heads(ids: readonly string[]): Promise<Map<string, StoredHead>>;
  /** The indicator each key names for this provider (keyed by indicatorKeyString). */
  keyedIndicators(providerOrgId: string, keys: readonly IndicatorKey[]): Promise<Map<string, string>>;
  /** Points the keys at these indicators. */
  setIndicatorKeys(providerOrgId: string, entries: readonly (IndicatorKey & { readonly objectId: string })[]): Promise<void>;
  /** appendAsProvider, inside the session (every version's providerOrgId must be `providerOrgId`). */
  append(providerOrgId: string, versions: readonly NewObjectVersion[], guard?: AppendGuard, reader?: ReadScope): Promise<ProviderAppendOutcome[]>;
  /** The id the hub gave its own object under `key` in this collection, creating a random one (`make`) the first time. */
  hubObjectId(key: string, make: () => string): Promise<string>;
  /**
   * hubObjectId for many keys at once: the id of each key, by key, and whether it was made now (`make`
   * offers an id for each key; a key already known keeps its own, and its object may be stored).
   */
  hubObjectIdsFor(keys: readonly string[], make: () => string): Promise<Map<string, { readonly id: string; readonly made: boolean }>>;
  /** The ids the hub gave its objects under these exact keys in this collection, by key (none is made). */
  knownHubObjectIds(keys: readonly string[]): Promise<Map<string, string>>;
  /** The ids of this collection's hub-made objects whose key starts with `prefix`, by key. */
  hubObjectIds(prefix: string): Promise<Map<string, string>>;
  /** Appends an audit record that commits with the session's writes. */
  audit(entry: NewAuditEntry): Promise<void>;
}

/** Which indicators a listing selects: each in its latest readable version, in date_added order. */
export interface IndicatorListQuery {
  readonly collectionId: string;
  readonly scope: ReadScope;
  readonly providerOrgId?: string;
  /** Only indicators in this state as of `nowMicros`. */
  readonly state?: IndicatorState;
  /** Only indicators of this hub kind (the hub extension's `kind`). */
  readonly kind?: string;
  /** Only indicators with this TLP marking. */
  readonly tlp?: TlpLevel;
  /** Only indicators that `indicates` a campaign with this id or name (the relationship and the campaign readable by `scope`). */
  readonly campaign?: string;
  readonly nowMicros: number;
  readonly afterDateAdded?: number;
  readonly limit: number;
}

/** An object removed with a purged one: it named it (a relationship, a sighting, an opinion or note about it) or the hub made it only for it. */
export interface PurgedDependent {
  readonly collectionId: string;
  readonly id: string;
  readonly type: string;
}

/** A version removed by a purge. */
export interface PurgedVersion {
  readonly collectionId: string;
  readonly dateAdded: number;
  readonly version: number;
}

/** What became of one version in appendAsProvider. */
export type ProviderAppendOutcome =
  | AppendOutcome
  | { readonly kind: 'provided-by-another' }
  | { readonly kind: 'revoked' }
  | { readonly kind: 'refused'; readonly reason: string };

/** An object's latest version as a write guard sees it. */
export interface GuardedFacts extends StoredVersionFacts {
  readonly id: string;
  readonly version: number;
}

/**
 * What a write guard knows of one new version, read under the collection's clock lock (so it stays
 * true until commit), counting the versions accepted before it in the same batch.
 */
export interface GuardContext {
  /** The latest version of the same object, when one is stored. */
  readonly latest?: GuardedFacts;
  /** The latest version of each object the new version names (`*_ref`, `*_refs`) that is stored in the collection. */
  readonly referenced: readonly GuardedFacts[];
  /** For an object new to the collection: the latest version of each stored object that names it. */
  readonly referrers: readonly GuardedFacts[];
}

/** Decides, under the lock, whether a new version may be stored: undefined, or the reason it is refused. */
export type AppendGuard = (version: NewObjectVersion, context: GuardContext) => string | undefined;

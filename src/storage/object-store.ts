import type { ReadScope } from '../access/read-scope';
import type { TlpLevel } from '../domain/tenancy';

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
  /** The version, in microseconds: `modified`, else `created`, else the time of the write. */
  readonly version: number;
  readonly providerOrgId: string;
  readonly tlp: TlpLevel;
  readonly recipients: readonly string[];
  readonly object: Readonly<Record<string, unknown>>;
}

export interface StoredObjectVersion extends NewObjectVersion {
  readonly collectionId: string;
  readonly dateAdded: number;
}

/** What became of one version in an append: stored anew, or already there (identical or not). */
export type AppendOutcome =
  | { readonly kind: 'added'; readonly dateAdded: number }
  | { readonly kind: 'duplicate'; readonly dateAdded: number; readonly identical: boolean };

export interface ObjectPageQuery {
  readonly collectionId: string;
  readonly scope: ReadScope;
  /** Only versions added strictly after this date_added (microseconds). */
  readonly addedAfter?: number;
  readonly limit: number;
}

export interface ObjectPage {
  readonly versions: readonly StoredObjectVersion[];
  /** True when more readable versions follow the last one returned. */
  readonly more: boolean;
}

export interface ObjectStore {
  /**
   * Stores versions in one collection in one transaction. Versions of one collection are committed
   * in date_added order (writers serialise on the collection's clock), so a reader paging by
   * date_added can never pass a version that commits later with an earlier date_added.
   */
  append(collectionId: string, versions: readonly NewObjectVersion[], nowMicros: number): Promise<AppendOutcome[]>;
  /** Readable versions in date_added order. */
  page(query: ObjectPageQuery): Promise<ObjectPage>;
}

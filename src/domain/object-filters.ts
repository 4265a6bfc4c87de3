/**
 * The TAXII 2.1 object filters (§3.4.1) as the hub understands them once parsed: pure values shared by
 * the HTTP edge, the read service and the object store port.
 */

/**
 * match[version]: `all`, or any union of `first`, `last` and exact versions (microseconds). A union
 * that names `all` is just `all`.
 */
export type VersionMatch =
  | { readonly kind: 'all' }
  | { readonly kind: 'some'; readonly first: boolean; readonly last: boolean; readonly at: readonly number[] };

/**
 * match[spec_version]: the listed spec versions; `latest` (the default of the read endpoints) keeps
 * only the highest spec version per object; `any` (DELETE's default) keeps every spec version.
 */
export type SpecVersionMatch = { readonly kind: 'latest' } | { readonly kind: 'any' } | { readonly kind: 'listed'; readonly values: readonly string[] };

/** The default of match[version] on every endpoint that has it except DELETE (§3.4.1). */
export const LATEST_VERSION: VersionMatch = Object.freeze({ kind: 'some', first: false, last: true, at: Object.freeze([]) });
export const ALL_VERSIONS: VersionMatch = Object.freeze({ kind: 'all' });

/**
 * The parameters of one objects request as the client sent them; absent means "not sent". Values
 * are validated and normalised (lists deduplicated and sorted, timestamps in microseconds, limit
 * clamped to the server maximum), so equal filters compare equal.
 */
export interface ObjectQueryParameters {
  readonly addedAfter?: number;
  readonly limit?: number;
  readonly next?: string;
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  readonly versions?: VersionMatch;
  readonly specVersions?: readonly string[];
}

/** Page sizes: what a request without `limit` gets, and the most any request gets (larger limits are clamped). */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

/**
 * The TAXII `version` of a stored version: its `modified` (else `created`) in microseconds; an object
 * with neither is stored with version 0 and its version is the date it was added (§3.4.1 lets the
 * server choose a value consistent to itself).
 */
export function effectiveVersion(version: number, dateAdded: number): number {
  return version === 0 ? dateAdded : version;
}

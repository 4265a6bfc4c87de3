import type { XmlElement } from '../../domain/xml/xml-element';

/**
 * What the Inbox needs of the STIX 1.x → 2.1 bridge (src/domain/stix1): a parsed STIX_Package read as
 * STIX 2.1 indicator properties, one entry per 1.x indicator (mapped, or refused with the reason),
 * and what the package holds that the bridge does not map (TTPs, incidents, …). The Inbox gives the
 * hub's id, creator and spec_version; the bridge knows nothing of storage.
 */

/** STIX 2.1 indicator properties without `type`, `spec_version`, `id` and `created_by_ref`. */
export interface MappedIndicator {
  /** The 1.x timestamp, as a STIX 2.1 timestamp, when the 1.x indicator has one. */
  readonly created?: string;
  readonly modified?: string;
  readonly pattern: string;
  readonly pattern_type?: string;
  readonly valid_from?: string;
  readonly [property: string]: unknown;
}

export type BridgedIndicator =
  | { readonly stix1Id: string; readonly ok: true; readonly indicator: MappedIndicator }
  | { readonly stix1Id: string; readonly ok: false; readonly reason: string };

export interface UnmappedContent {
  /** What it is, e.g. `TTP`, `Incident`, `Observable (WinRegistryKey)`, `condition "Contains"`. */
  readonly what: string;
  readonly id?: string;
  readonly reason: string;
}

export type Stix1PackageReading =
  | { readonly ok: false; readonly reason: string }
  | { readonly ok: true; readonly indicators: readonly BridgedIndicator[]; readonly unmapped: readonly UnmappedContent[] };

export type Stix1PackageReader = (root: XmlElement) => Stix1PackageReading;

/** The content bindings of STIX 1.x the Inbox takes (TAXII Content Binding Reference). */
export const STIX1_CONTENT_BINDINGS: ReadonlySet<string> = new Set([
  'urn:stix.mitre.org:xml:1.0',
  'urn:stix.mitre.org:xml:1.0.1',
  'urn:stix.mitre.org:xml:1.1',
  'urn:stix.mitre.org:xml:1.1.1',
  'urn:stix.mitre.org:xml:1.2',
]);

/** What an UNSUPPORTED_CONTENT status names as SUPPORTED_CONTENT (the bindings the hub advertises). */
export const ADVERTISED_CONTENT_BINDINGS: readonly string[] = ['urn:stix.mitre.org:xml:1.2', 'urn:stix.mitre.org:xml:1.1.1'];

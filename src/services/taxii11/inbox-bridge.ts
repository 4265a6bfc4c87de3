import type { XmlElement } from '../../domain/xml/xml-element';
import type { Stix1PackageReading } from '../../domain/stix1';
import { STIX_CONTENT_BINDINGS } from '../../domain/taxii11/taxii-identifiers';

/**
 * What the Inbox needs of the STIX 1.x → 2.1 bridge (src/domain/stix1): a parsed STIX_Package read as
 * STIX 2.1 indicator properties, one entry per 1.x indicator (mapped, or refused with the reason),
 * and what the package holds that the bridge does not map (TTPs, incidents, …). The Inbox gives the
 * hub's id and creator; the bridge knows nothing of storage. The default is the bridge's
 * readStix1Package; tests may pass their own reader.
 */

export { readStix1Package, type MappedIndicator, type Stix1PackageReading, type Unmapped as UnmappedContent } from '../../domain/stix1';

export type Stix1PackageReader = (root: XmlElement) => Stix1PackageReading;

/** The content bindings of STIX 1.x the Inbox takes (TAXII Content Binding Reference). */
export const STIX1_CONTENT_BINDINGS: ReadonlySet<string> = new Set(STIX_CONTENT_BINDINGS);

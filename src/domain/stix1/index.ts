/**
 * The STIX 1.x ↔ STIX 2.1 bridge for TAXII 1.1: STIX 2.1 indicators of the hub's eight kinds as
 * STIX 1.2 packages (Poll, push), and STIX 1.1.1/1.2 packages as STIX 2.1 indicator properties
 * (Inbox). Table-driven and pure; docs/stix1-mapping.md lists every mapping and what is lost.
 */

export { indicatorToStix12, type Stix12Context, type Stix12Outcome } from './indicator-to-stix12';
export { readStix1Package, type Stix1PackageReading } from './stix1-package-reader';
export type { HubKindExtension, MappedIndicator, Stix1IndicatorReading, Unmapped } from './stix1-indicator-reader';
export { STIX1_NAMESPACES } from './stix1-namespaces';

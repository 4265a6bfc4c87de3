/**
 * The STIX 1.2 / CybOX 2.1 namespaces (the MITRE-era URIs that data in the wild uses). Output always
 * uses these prefixes; input is read by namespace URI, whatever prefixes the sender chose.
 */

export const STIX1_NAMESPACES = {
  stix: 'http://stix.mitre.org/stix-1',
  indicator: 'http://stix.mitre.org/Indicator-2',
  stixCommon: 'http://stix.mitre.org/common-1',
  stixVocabs: 'http://stix.mitre.org/default_vocabularies-1',
  marking: 'http://data-marking.mitre.org/Marking-1',
  tlpMarking: 'http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1',
  cybox: 'http://cybox.mitre.org/cybox-2',
  cyboxCommon: 'http://cybox.mitre.org/common-2',
  cyboxVocabs: 'http://cybox.mitre.org/default_vocabularies-2',
  AddressObj: 'http://cybox.mitre.org/objects#AddressObject-2',
  DomainNameObj: 'http://cybox.mitre.org/objects#DomainNameObject-1',
  HostnameObj: 'http://cybox.mitre.org/objects#HostnameObject-1',
  URIObj: 'http://cybox.mitre.org/objects#URIObject-2',
  EmailMessageObj: 'http://cybox.mitre.org/objects#EmailMessageObject-2',
  FileObj: 'http://cybox.mitre.org/objects#FileObject-2',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

export type Stix1Prefix = keyof typeof STIX1_NAMESPACES;

/** Shorter names for reading code. */
export const NS = STIX1_NAMESPACES;

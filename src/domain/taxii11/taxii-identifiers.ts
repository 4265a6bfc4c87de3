/**
 * The identifiers TAXII 1.1 (and 1.0) put on the wire: XML namespaces, version ids, content binding
 * ids, status types, HTTP header names and status detail names. MITRE-era ids only (checklist §0.1):
 * they are what libtaxii, cabby and OpenTAXII speak.
 */

export type TaxiiVersion = '1.1' | '1.0';

/** The XML namespace of TAXII 1.1 messages. */
export const TAXII_11_NAMESPACE = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1';
/** The XML namespace of TAXII 1.0 messages (the same local names as 1.1, so dispatch on the URI). */
export const TAXII_10_NAMESPACE = 'http://taxii.mitre.org/messages/taxii_xml_binding-1';
/** XML Digital Signature (an optional enveloped `ds:Signature` on messages and content blocks). */
export const XMLDSIG_NAMESPACE = 'http://www.w3.org/2000/09/xmldsig#';

export function namespaceOf(version: TaxiiVersion): string {
  return version === '1.1' ? TAXII_11_NAMESPACE : TAXII_10_NAMESPACE;
}

/** Services version ids (`X-TAXII-Services`, `@service_version`). */
export const SERVICES_11 = 'urn:taxii.mitre.org:services:1.1';
export const SERVICES_10 = 'urn:taxii.mitre.org:services:1.0';

/** XML message binding ids (`X-TAXII-Content-Type`, `X-TAXII-Accept`, `Message_Binding`). */
export const MESSAGE_BINDING_XML_11 = 'urn:taxii.mitre.org:message:xml:1.1';
export const MESSAGE_BINDING_XML_10 = 'urn:taxii.mitre.org:message:xml:1.0';

/** Protocol binding ids (`X-TAXII-Protocol`, `Protocol_Binding`). */
export const PROTOCOL_BINDING_HTTP = 'urn:taxii.mitre.org:protocol:http:1.0';
export const PROTOCOL_BINDING_HTTPS = 'urn:taxii.mitre.org:protocol:https:1.0';

export function servicesVersionOf(version: TaxiiVersion): string {
  return version === '1.1' ? SERVICES_11 : SERVICES_10;
}

export function messageBindingOf(version: TaxiiVersion): string {
  return version === '1.1' ? MESSAGE_BINDING_XML_11 : MESSAGE_BINDING_XML_10;
}

/** STIX 1.x content binding ids (Content Binding Reference v3). */
export const CONTENT_BINDING_STIX_10 = 'urn:stix.mitre.org:xml:1.0';
export const CONTENT_BINDING_STIX_101 = 'urn:stix.mitre.org:xml:1.0.1';
export const CONTENT_BINDING_STIX_11 = 'urn:stix.mitre.org:xml:1.1';
export const CONTENT_BINDING_STIX_111 = 'urn:stix.mitre.org:xml:1.1.1';
export const CONTENT_BINDING_STIX_12 = 'urn:stix.mitre.org:xml:1.2';

export const STIX_CONTENT_BINDINGS: readonly string[] = [
  CONTENT_BINDING_STIX_10,
  CONTENT_BINDING_STIX_101,
  CONTENT_BINDING_STIX_11,
  CONTENT_BINDING_STIX_111,
  CONTENT_BINDING_STIX_12,
];

/**
 * The STIX 1.x content the hub offers: what its polls and pushes write (STIX 1.2, the preferred, or
 * the same packages labelled 1.1.1) and what every collection and the inbox advertise.
 */
export const OFFERED_CONTENT_BINDINGS: readonly string[] = [CONTENT_BINDING_STIX_12, CONTENT_BINDING_STIX_111];

/** The 17 status types of TAXII 1.1 (S-01). */
export const STATUS_TYPES = [
  'ASYNCHRONOUS_POLL_ERROR',
  'BAD_MESSAGE',
  'DENIED',
  'DESTINATION_COLLECTION_ERROR',
  'FAILURE',
  'INVALID_RESPONSE_PART',
  'NETWORK_ERROR',
  'NOT_FOUND',
  'PENDING',
  'POLLING_UNSUPPORTED',
  'RETRY',
  'SUCCESS',
  'UNAUTHORIZED',
  'UNSUPPORTED_MESSAGE',
  'UNSUPPORTED_CONTENT',
  'UNSUPPORTED_PROTOCOL',
  'UNSUPPORTED_QUERY',
] as const;

export type StatusType = (typeof STATUS_TYPES)[number];

/** The status types TAXII 1.0 defines (a subset of 1.1's). */
export const STATUS_TYPES_10: readonly StatusType[] = [
  'BAD_MESSAGE',
  'DENIED',
  'FAILURE',
  'NOT_FOUND',
  'POLLING_UNSUPPORTED',
  'RETRY',
  'SUCCESS',
  'UNAUTHORIZED',
  'UNSUPPORTED_MESSAGE',
  'UNSUPPORTED_CONTENT',
  'UNSUPPORTED_PROTOCOL',
];

export function isStatusType(value: string): value is StatusType {
  return (STATUS_TYPES as readonly string[]).includes(value);
}

/** HTTP header names of the TAXII HTTP binding (H-02, H-06). */
export const HEADER_CONTENT_TYPE = 'X-TAXII-Content-Type';
export const HEADER_ACCEPT = 'X-TAXII-Accept';
export const HEADER_SERVICES = 'X-TAXII-Services';
export const HEADER_PROTOCOL = 'X-TAXII-Protocol';

/** Status detail names (S-02..S-04). */
export const DETAIL_ITEM = 'ITEM';
export const DETAIL_MAX_PART_NUMBER = 'MAX_PART_NUMBER';
export const DETAIL_ACCEPTABLE_DESTINATION = 'ACCEPTABLE_DESTINATION';
export const DETAIL_SUPPORTED_BINDING = 'SUPPORTED_BINDING';
export const DETAIL_SUPPORTED_CONTENT = 'SUPPORTED_CONTENT';
export const DETAIL_SUPPORTED_PROTOCOL = 'SUPPORTED_PROTOCOL';
export const DETAIL_SUPPORTED_QUERY = 'SUPPORTED_QUERY';
export const DETAIL_ESTIMATED_WAIT = 'ESTIMATED_WAIT';
export const DETAIL_RESULT_ID = 'RESULT_ID';
export const DETAIL_WILL_PUSH = 'WILL_PUSH';

/** Service types of a Service_Instance (D-04); TAXII 1.0 calls collection management FEED_MANAGEMENT. */
export type ServiceType = 'DISCOVERY' | 'COLLECTION_MANAGEMENT' | 'INBOX' | 'POLL';

export type ResponseType = 'FULL' | 'COUNT_ONLY';
export type SubscriptionAction = 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'PAUSE' | 'RESUME' | 'STATUS';
export type SubscriptionStatus = 'ACTIVE' | 'PAUSED' | 'UNSUBSCRIBED';

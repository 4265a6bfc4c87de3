import type { ServiceType, TaxiiVersion } from './taxii-identifiers';
import { writeContentBindings } from './content-bindings';
import { writeBindingsGroup } from './service-contacts';
import { TaxiiXmlWriter } from './taxii-xml-writing';
import type { ContentBindingRef } from './taxii-requests';

/**
 * Discovery_Response (D-01..D-07): one Service_Instance per service type × protocol binding ×
 * address. Content_Binding is for INBOX instances only (D-05); the hub offers no query, so no
 * Supported_Query is written. In 1.0 collection management is called FEED_MANAGEMENT and content
 * bindings are plain ids.
 */

export interface ServiceInstance {
  readonly serviceType: ServiceType;
  /** `urn:taxii.mitre.org:services:1.1` (SERVICES_11) or 1.0. */
  readonly serviceVersion: string;
  readonly protocolBinding: string;
  readonly address: string;
  readonly messageBindings: readonly string[];
  readonly contentBindings?: readonly ContentBindingRef[];
  /** Whether this requester may use the service (D-06); absent = unknown. */
  readonly available?: boolean;
  readonly message?: string;
}

export interface DiscoveryResponseInput {
  readonly messageId: string;
  readonly inResponseTo: string;
  readonly services: readonly ServiceInstance[];
}

export function renderDiscoveryResponse(input: DiscoveryResponseInput, version: TaxiiVersion = '1.1'): string {
  const w = new TaxiiXmlWriter(version);
  let children = '';
  for (const s of input.services) {
    const serviceType = version === '1.0' && s.serviceType === 'COLLECTION_MANAGEMENT' ? 'FEED_MANAGEMENT' : s.serviceType;
    const inner =
      writeBindingsGroup(w, s) +
      writeContentBindings(w, s.serviceType === 'INBOX' ? s.contentBindings : undefined) +
      w.optionalTextElement('Message', s.message);
    children += w.element('Service_Instance', { service_type: serviceType, service_version: s.serviceVersion, available: s.available }, inner);
  }
  return w.document('Discovery_Response', { message_id: input.messageId, in_response_to: input.inResponseTo }, children);
}

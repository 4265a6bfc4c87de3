import {
  OFFERED_CONTENT_BINDINGS,
  messageBindingOf,
  renderDiscoveryResponse,
  servicesVersionOf,
  type ServiceInstance,
} from '../../domain/taxii11';
import type { Principal } from '../../domain/principal';
import type { Taxii11Handler } from './taxii11-router';
import { TAXII11_SERVICES, type Taxii11ServiceName } from './paths';

/** What discovery needs to know of the caller: whether it may poll and push anywhere (D-06). */
export interface CallerCollections {
  list(who: Principal): Promise<readonly { readonly canRead: boolean; readonly canWrite: boolean }[]>;
}

/** The STIX 1.x content the hub's inbox advertises (STIX 1.2 first). */
const INBOX_CONTENT_BINDINGS = OFFERED_CONTENT_BINDINGS.map((bindingId) => ({ bindingId, subtypes: [] }));

/**
 * Discovery (D-01..D-07): the four services at the addresses the hub is reached by, each marked
 * available as it is to this caller: POLL when it may read a collection, INBOX when it may write one.
 */
export function discoveryHandler(collections: CallerCollections): Taxii11Handler<'discovery'> {
  return async ({ who, version, message, addresses, messageId }) => {
    const visible = await collections.list(who);
    const available: Record<Taxii11ServiceName, boolean> = {
      discovery: true,
      collectionManagement: true,
      poll: visible.some((c) => c.canRead),
      inbox: visible.some((c) => c.canWrite),
    };
    const services: ServiceInstance[] = (Object.keys(TAXII11_SERVICES) as Taxii11ServiceName[]).map((name) => ({
      serviceType: TAXII11_SERVICES[name].serviceType,
      serviceVersion: servicesVersionOf(version),
      protocolBinding: addresses.protocolBinding,
      address: addresses.address(name),
      messageBindings: [messageBindingOf(version)],
      ...(name === 'inbox' ? { contentBindings: INBOX_CONTENT_BINDINGS } : {}),
      available: available[name],
    }));
    return renderDiscoveryResponse({ messageId, inResponseTo: message.messageId, services }, version);
  };
}

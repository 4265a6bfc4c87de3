import { MESSAGE_BINDING_XML_11, PROTOCOL_BINDING_HTTP, PROTOCOL_BINDING_HTTPS, messageBindingOf, renderCollectionInformationResponse, type CollectionInformation } from '../../domain/taxii11';
import type { Taxii11Collections } from '../../services/taxii11/taxii11-collections';
import type { Taxii11Handler } from './taxii11-router';

/**
 * Collection Information (C-01..C-05): the Data Feeds the caller sees, each with where to poll it,
 * subscribe to it (pushes go over HTTP or HTTPS with the XML 1.1 binding) and, for a caller that may
 * write it, where to send content to it.
 */
export function collectionInformationHandler(collections: Pick<Taxii11Collections, 'list'>): Taxii11Handler<'collection-information'> {
  return async ({ who, version, message, addresses, messageId }) => {
    const binding = messageBindingOf(version);
    const contact = (service: 'poll' | 'collectionManagement' | 'inbox') => ({ protocolBinding: addresses.protocolBinding, address: addresses.address(service), messageBindings: [binding] });
    const views = await collections.list(who);
    const described: CollectionInformation[] = views.map((view) => {
      const bindings = view.contentBindings.map((bindingId) => ({ bindingId, subtypes: [] }));
      return {
        name: view.name,
        type: 'DATA_FEED',
        available: view.available,
        description: view.description,
        volume: view.volume,
        contentBindings: bindings,
        pushMethods: view.canRead
          ? [PROTOCOL_BINDING_HTTPS, PROTOCOL_BINDING_HTTP].map((protocolBinding) => ({ protocolBinding, messageBindings: [MESSAGE_BINDING_XML_11] }))
          : [],
        pollingServices: view.canRead ? [contact('poll')] : [],
        subscriptionServices: view.canRead ? [contact('collectionManagement')] : [],
        receivingInboxServices: view.canWrite ? [{ ...contact('inbox'), contentBindings: bindings }] : [],
      };
    });
    return renderCollectionInformationResponse({ messageId, inResponseTo: message.messageId, collections: described }, version);
  };
}

/** TAXII 1.1 (and 1.0) XML messages: identifiers, timestamps, request parsing and response rendering. */
export * from './taxii-identifiers';
export * from './taxii-timestamps';
export * from './message-ids';
export type * from './taxii-requests';
export { parseTaxiiRequest } from './parse-request';
export { renderStatusMessage, type StatusMessageInput } from './status-message';
export { renderDiscoveryResponse, type DiscoveryResponseInput, type ServiceInstance } from './discovery-messages';
export {
  renderCollectionInformationResponse,
  type CollectionInformation,
  type CollectionInformationResponseInput,
  type PushMethod,
} from './collection-messages';
export { renderPollResponse, type PollResponseInput } from './poll-messages';
export { renderInboxMessage, type InboxMessageInput } from './inbox-messages';
export {
  renderSubscriptionManagementResponse,
  type SubscriptionManagementResponseInput,
  type SubscriptionRecord,
} from './subscription-messages';
export type { OutgoingContentBlock } from './content-blocks';
export type { InboxServiceContact, ServiceContact } from './service-contacts';

import type { TaxiiVersion } from './taxii-identifiers';
import { writeContentBindings } from './content-bindings';
import { writeInboxServiceContact, writeServiceContact, type InboxServiceContact, type ServiceContact } from './service-contacts';
import { TaxiiXmlWriter } from './taxii-xml-writing';
import type { ContentBindingRef } from './taxii-requests';

/**
 * Collection_Information_Response (C-02, C-03) and its TAXII 1.0 form, Feed_Information_Response
 * (a Feed has no type, no volume and no receiving inbox; it needs at least one content binding and
 * at least one polling service or push method).
 */

export interface PushMethod {
  readonly protocolBinding: string;
  readonly messageBindings: readonly string[];
}

export interface CollectionInformation {
  readonly name: string;
  readonly type: 'DATA_FEED';
  readonly available?: boolean;
  /** Required by the XSD (C-03). */
  readonly description: string;
  /** Typical records per day. */
  readonly volume?: number;
  /** Accepted / offered content; none listed = any. */
  readonly contentBindings: readonly ContentBindingRef[];
  readonly pushMethods?: readonly PushMethod[];
  readonly pollingServices: readonly ServiceContact[];
  readonly subscriptionServices: readonly ServiceContact[];
  /** Only for accounts that may write (C-03 notes). */
  readonly receivingInboxServices: readonly InboxServiceContact[];
}

export interface CollectionInformationResponseInput {
  readonly messageId: string;
  readonly inResponseTo: string;
  readonly collections: readonly CollectionInformation[];
}

export function renderCollectionInformationResponse(input: CollectionInformationResponseInput, version: TaxiiVersion = '1.1'): string {
  const w = new TaxiiXmlWriter(version);
  let children = '';
  for (const c of input.collections) children += version === '1.1' ? writeCollection(w, c) : writeFeed(w, c);
  const root = version === '1.1' ? 'Collection_Information_Response' : 'Feed_Information_Response';
  return w.document(root, { message_id: input.messageId, in_response_to: input.inResponseTo }, children);
}

function writePushMethods(w: TaxiiXmlWriter, methods: readonly PushMethod[] | undefined): string {
  let text = '';
  for (const m of methods ?? []) {
    let inner = w.textElement('Protocol_Binding', m.protocolBinding);
    for (const b of m.messageBindings) inner += w.textElement('Message_Binding', b);
    text += w.element('Push_Method', {}, inner);
  }
  return text;
}

function writeCollection(w: TaxiiXmlWriter, c: CollectionInformation): string {
  let inner = w.textElement('Description', c.description);
  if (c.volume !== undefined) inner += w.textElement('Collection_Volume', String(c.volume));
  inner += writeContentBindings(w, c.contentBindings);
  inner += writePushMethods(w, c.pushMethods);
  for (const s of c.pollingServices) inner += writeServiceContact(w, 'Polling_Service', s);
  for (const s of c.subscriptionServices) inner += writeServiceContact(w, 'Subscription_Service', s);
  for (const s of c.receivingInboxServices) inner += writeInboxServiceContact(w, 'Receiving_Inbox_Service', s);
  return w.element('Collection', { collection_name: c.name, collection_type: c.type, available: c.available }, inner);
}

function writeFeed(w: TaxiiXmlWriter, c: CollectionInformation): string {
  let inner = w.textElement('Description', c.description);
  inner += writeContentBindings(w, c.contentBindings);
  inner += writePushMethods(w, c.pushMethods);
  for (const s of c.pollingServices) inner += writeServiceContact(w, 'Polling_Service', s);
  for (const s of c.subscriptionServices) inner += writeServiceContact(w, 'Subscription_Service', s);
  return w.element('Feed', { feed_name: c.name, available: c.available }, inner);
}

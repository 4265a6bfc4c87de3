import type { XmlElement } from '../xml/xml-element';
import type { TaxiiElementReader } from './request-reading';
import type { TaxiiXmlWriter } from './taxii-xml-writing';
import type { ContentBindingRef, DeliveryTarget } from './taxii-requests';
import { writeContentBindings } from './content-bindings';

/**
 * How to reach a service: Protocol_Binding, Address, Message_Binding+ (the XSD's BindingsGroup), and
 * the one-message-binding form of it used to name a push or delivery target.
 */

export interface ServiceContact {
  readonly protocolBinding: string;
  readonly address: string;
  readonly messageBindings: readonly string[];
}

/** An inbox contact, with the content it accepts (none listed = any). */
export interface InboxServiceContact extends ServiceContact {
  readonly contentBindings?: readonly ContentBindingRef[];
}

/** Protocol_Binding, Address and each Message_Binding, in XSD order. */
export function writeBindingsGroup(writer: TaxiiXmlWriter, contact: ServiceContact): string {
  let text = writer.textElement('Protocol_Binding', contact.protocolBinding) + writer.textElement('Address', contact.address);
  for (const m of contact.messageBindings) text += writer.textElement('Message_Binding', m);
  return text;
}

/** `<local>` holding a BindingsGroup (Polling_Service, Subscription_Service, Poll_Instance). */
export function writeServiceContact(writer: TaxiiXmlWriter, local: string, contact: ServiceContact): string {
  return writer.element(local, {}, writeBindingsGroup(writer, contact));
}

/** Receiving_Inbox_Service: a BindingsGroup, then the accepted content bindings. */
export function writeInboxServiceContact(writer: TaxiiXmlWriter, local: string, contact: InboxServiceContact): string {
  return writer.element(local, {}, writeBindingsGroup(writer, contact) + writeContentBindings(writer, contact.contentBindings));
}

/** Push_Parameters / Delivery_Parameters (1.0 adds optional Content_Binding text elements, not written). */
export function writeDeliveryTarget(writer: TaxiiXmlWriter, local: string, target: DeliveryTarget): string {
  return writer.element(
    local,
    {},
    writer.textElement('Protocol_Binding', target.protocolBinding) +
      writer.textElement('Address', target.address) +
      writer.textElement('Message_Binding', target.messageBinding),
  );
}

/** Reads Push_Parameters / Delivery_Parameters: all three children are required. */
export function readDeliveryTarget(parent: TaxiiElementReader, element: XmlElement): DeliveryTarget {
  const r = parent.reader(element);
  return {
    protocolBinding: r.requiredText('Protocol_Binding'),
    address: r.requiredText('Address'),
    messageBinding: r.requiredText('Message_Binding'),
  };
}

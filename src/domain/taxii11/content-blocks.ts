import { childElements, textOf, type XmlElement } from '../xml/xml-element';
import { readContentBinding } from './content-bindings';
import { MalformedMessage, type TaxiiElementReader } from './request-reading';
import { formatTaxiiTimestamp } from './taxii-timestamps';
import type { TaxiiXmlWriter } from './taxii-xml-writing';
import type { InboxContent, InboxContentBlock } from './taxii-requests';

/**
 * Content_Block, read from an Inbox_Message and written into a Poll_Response or a pushed
 * Inbox_Message. Content is mixed: an embedded element, or text (escaped or CDATA).
 * Padding is ignored and a ds:Signature tolerated.
 */

/** A block the hub sends: the content is one element's XML text, embedded as it is. */
export interface OutgoingContentBlock {
  readonly bindingId: string;
  readonly subtype?: string;
  /** An element's XML text declaring the namespaces it uses (e.g. from serializeElement). */
  readonly contentXml: string;
  readonly timestampLabel: number;
  readonly message?: string;
}

export function readContentBlock(parent: TaxiiElementReader, element: XmlElement, position: number): InboxContentBlock {
  const r = parent.reader(element);
  const bindingElement = r.optional('Content_Binding');
  if (bindingElement === undefined) throw new MalformedMessage(`Content_Block ${position} has no Content_Binding`);
  const binding = readContentBinding(r, bindingElement);
  const contentElement = r.optional('Content');
  if (contentElement === undefined) throw new MalformedMessage(`Content_Block ${position} has no Content`);
  const content = readContent(contentElement, position);
  const timestampLabel = r.optionalTimestamp('Timestamp_Label');
  const message = parent.version === '1.1' ? r.optionalFreeText('Message') : undefined;
  return {
    binding,
    content,
    ...(timestampLabel === undefined ? {} : { timestampLabel }),
    ...(message === undefined ? {} : { message }),
  };
}

function readContent(content: XmlElement, position: number): InboxContent {
  const elements = childElements(content);
  const text = textOf(content);
  if (elements.length > 1) throw new MalformedMessage(`the Content of Content_Block ${position} holds ${elements.length} elements (one is expected)`);
  const [element] = elements;
  if (element !== undefined) {
    if (text.trim() !== '') throw new MalformedMessage(`the Content of Content_Block ${position} mixes an element with text`);
    return { kind: 'xml', element };
  }
  if (text.trim() === '') throw new MalformedMessage(`the Content of Content_Block ${position} is empty`);
  return { kind: 'text', text: text.trim() };
}

/** One Content_Block in XSD order: Content_Binding, Content, Timestamp_Label, Message (1.1 only). */
export function writeContentBlock(writer: TaxiiXmlWriter, block: OutgoingContentBlock): string {
  const binding =
    writer.version === '1.0'
      ? writer.textElement('Content_Binding', block.bindingId)
      : writer.element('Content_Binding', { binding_id: block.bindingId }, block.subtype === undefined ? '' : writer.element('Subtype', { subtype_id: block.subtype }));
  const p = writer.prefix;
  return (
    `<${p}:Content_Block>` +
    binding +
    `<${p}:Content>${block.contentXml}</${p}:Content>` +
    writer.textElement('Timestamp_Label', formatTaxiiTimestamp(block.timestampLabel)) +
    (writer.version === '1.1' ? writer.optionalTextElement('Message', block.message) : '') +
    `</${p}:Content_Block>`
  );
}

export function writeContentBlocks(writer: TaxiiXmlWriter, blocks: readonly OutgoingContentBlock[]): string {
  let text = '';
  for (const block of blocks) text += writeContentBlock(writer, block);
  return text;
}

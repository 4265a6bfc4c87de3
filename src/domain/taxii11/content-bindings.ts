import { attributeOf, textOf, type XmlElement } from '../xml/xml-element';
import { MalformedMessage, type TaxiiElementReader } from './request-reading';
import type { TaxiiXmlWriter } from './taxii-xml-writing';
import type { ContentBindingRef } from './taxii-requests';

/**
 * Content bindings: in 1.1 an element with `@binding_id` and `Subtype@subtype_id` children (cabby
 * may send several Subtype elements even where the XSD allows one: tolerated); in 1.0 the binding
 * id is the element's text and there are no subtypes.
 */

/** Reads one Content_Binding element. */
export function readContentBinding(reader: TaxiiElementReader, element: XmlElement): ContentBindingRef {
  if (reader.version === '1.0') {
    const bindingId = textOf(element).trim();
    if (bindingId === '') throw new MalformedMessage(`a Content_Binding in ${reader.element.local} is empty`);
    return { bindingId, subtypes: [] };
  }
  const bindingId = attributeOf(element, 'binding_id')?.trim();
  if (bindingId === undefined || bindingId === '') {
    throw new MalformedMessage(`a Content_Binding in ${reader.element.local} has no binding_id attribute`);
  }
  const subtypes: string[] = [];
  for (const subtype of reader.reader(element).all('Subtype')) {
    const id = attributeOf(subtype, 'subtype_id')?.trim();
    if (id === undefined || id === '') throw new MalformedMessage(`a Subtype of Content_Binding '${bindingId}' has no subtype_id attribute`);
    subtypes.push(id);
  }
  return { bindingId, subtypes };
}

/** Every Content_Binding child of the reader's element. */
export function readContentBindings(reader: TaxiiElementReader): ContentBindingRef[] {
  return reader.all('Content_Binding').map((e) => readContentBinding(reader, e));
}

/**
 * Content_Binding elements for a list of bindings: in 1.1 `binding_id` plus its Subtype elements, in
 * 1.0 the id as text (subtypes have no 1.0 form and are left out).
 */
export function writeContentBindings(writer: TaxiiXmlWriter, bindings: readonly (ContentBindingRef | string)[] | undefined): string {
  if (bindings === undefined) return '';
  let text = '';
  for (const binding of bindings) {
    const ref = typeof binding === 'string' ? { bindingId: binding, subtypes: [] } : binding;
    if (writer.version === '1.0') {
      text += writer.textElement('Content_Binding', ref.bindingId);
      continue;
    }
    let subtypes = '';
    for (const s of ref.subtypes) subtypes += writer.element('Subtype', { subtype_id: s });
    text += writer.element('Content_Binding', { binding_id: ref.bindingId }, subtypes);
  }
  return text;
}

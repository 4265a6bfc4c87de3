import type { XmlElement, XmlNode } from './xml-element';

/**
 * Writing XML text: escaping, and serialising a parsed element on its own with every namespace in
 * scope declared on it (so QNames in its attribute values still resolve once it is cut out of the
 * message it came in).
 */

export function escapeXmlText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

export function escapeXmlAttribute(value: string): string {
  return value.replace(/[&<>"\r\n\t]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};

/** `name="value"` pairs, escaped, each preceded by a space; undefined values are left out. */
export function attributesText(attributes: Readonly<Record<string, string | number | boolean | undefined>>): string {
  let text = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    text += ` ${name}="${escapeXmlAttribute(String(value))}"`;
  }
  return text;
}

/**
 * One element as text: `<name attrs>children</name>`, or `<name attrs/>` without children.
 * `children` is already XML text (callers escape their own text with escapeXmlText).
 */
export function elementText(name: string, attributes: Readonly<Record<string, string | number | boolean | undefined>> = {}, children = ''): string {
  const attrs = attributesText(attributes);
  return children === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${children}</${name}>`;
}

/**
 * A parsed element as standalone XML text: the root declares every namespace in scope at it
 * (inherited ones included); descendants declare only what they bind anew.
 */
export function serializeElement(element: XmlElement): string {
  return write(element, {});
}

function write(node: XmlNode, declared: Readonly<Record<string, string>>): string {
  if (node.kind === 'text') return escapeXmlText(node.text);
  let attrs = '';
  const nowDeclared: Record<string, string> = { ...declared };
  for (const [prefix, uri] of Object.entries(node.namespaces)) {
    if (prefix === 'xml' || declared[prefix] === uri) continue;
    attrs += prefix === '' ? ` xmlns="${escapeXmlAttribute(uri)}"` : ` xmlns:${prefix}="${escapeXmlAttribute(uri)}"`;
    nowDeclared[prefix] = uri;
  }
  for (const a of node.attributes) {
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
    attrs += ` ${a.name}="${escapeXmlAttribute(a.value)}"`;
  }
  if (node.children.length === 0) return `<${node.name}${attrs}/>`;
  let inner = '';
  for (const c of node.children) inner += write(c, nowDeclared);
  return `<${node.name}${attrs}>${inner}</${node.name}>`;
}

/**
 * The hub's own XML tree: what the TAXII 1.1 edge parses a message into and what the STIX 1.x
 * mapper reads. Namespace-aware (every element and attribute carries its namespace URI, resolved by
 * the parser) and library-free, so no XML library's types leak past the edge.
 */

export interface XmlAttribute {
  /** As written, prefix included (`xsi:type`). */
  readonly name: string;
  readonly local: string;
  /** The attribute's namespace URI; '' for an unprefixed attribute (attributes take no default namespace). */
  readonly uri: string;
  readonly value: string;
}

export interface XmlElement {
  readonly kind: 'element';
  /** As written, prefix included (`taxii_11:Poll_Request`). */
  readonly name: string;
  readonly local: string;
  /** The element's namespace URI; '' when it has none. */
  readonly uri: string;
  readonly attributes: readonly XmlAttribute[];
  /**
   * Every namespace binding in scope at this element (prefix → URI; '' is the default namespace),
   * inherited ones included: STIX writes QNames in attribute values (`xsi:type="indicator:IndicatorType"`),
   * which only these resolve, and an element serialised on its own re-declares them.
   */
  readonly namespaces: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
}

export type XmlNode = XmlElement | XmlText;

/** The element children of `element`, in document order. */
export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => c.kind === 'element');
}

/** The element children named `local` in namespace `uri`. */
export function childrenNamed(element: XmlElement, uri: string, local: string): XmlElement[] {
  return childElements(element).filter((c) => c.uri === uri && c.local === local);
}

/** The first element child named `local` in namespace `uri`, if any. */
export function childNamed(element: XmlElement, uri: string, local: string): XmlElement | undefined {
  return element.children.find((c): c is XmlElement => c.kind === 'element' && c.uri === uri && c.local === local);
}

/** The concatenated text of the element's direct text children (CDATA included). */
export function textOf(element: XmlElement): string {
  let text = '';
  for (const c of element.children) if (c.kind === 'text') text += c.text;
  return text;
}

/** The value of attribute `local` (in namespace `uri`, '' for an unprefixed one), if present. */
export function attributeOf(element: XmlElement, local: string, uri = ''): string | undefined {
  return element.attributes.find((a) => a.local === local && a.uri === uri)?.value;
}

export interface QualifiedName {
  readonly uri: string;
  readonly local: string;
}

/**
 * Resolves a QName written in content or an attribute value (`indicator:IndicatorType`) against the
 * namespaces in scope at `element`; undefined when its prefix is not bound.
 */
export function resolveQName(element: XmlElement, qname: string): QualifiedName | undefined {
  const colon = qname.indexOf(':');
  const prefix = colon === -1 ? '' : qname.slice(0, colon);
  const local = colon === -1 ? qname : qname.slice(colon + 1);
  const uri = element.namespaces[prefix];
  if (uri === undefined) return colon === -1 ? { uri: '', local } : undefined;
  return { uri, local };
}

/** The namespace URI of `xsi:type` and friends. */
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** An element's `xsi:type`, resolved; undefined when absent or its prefix is unbound. */
export function xsiTypeOf(element: XmlElement): QualifiedName | undefined {
  const value = attributeOf(element, 'type', XSI_NAMESPACE);
  return value === undefined ? undefined : resolveQName(element, value.trim());
}

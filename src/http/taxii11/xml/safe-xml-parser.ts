import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { XmlAttribute, XmlElement, XmlNode } from '../../../domain/xml/xml-element';

/**
 * The one way the hub reads XML it is sent. TAXII never needs a DTD, so a document type declaration
 * is refused outright: no entity is ever declared, so none is ever expanded (billion laughs and
 * quadratic blow-up have nothing to work with), and nothing is ever fetched (no external entity, no
 * external DTD, no XInclude: the parser knows none of them). Only the five predefined entities and
 * character references are resolved. Limits on depth, element count, attributes and namespace
 * declarations bound the tree a body of a given size can make. The input is always text in memory,
 * never a name or URL to open.
 *
 * Built on saxes (a namespace-aware streaming parser, CommonJS): libxml2-wasm, which the XML
 * research looked at first, is an ES module with top-level await that the hub's CommonJS build and
 * jest cannot load (see docs/development.md).
 */

export interface XmlLimits {
  /** Elements nested deeper than this are refused. */
  readonly maxDepth: number;
  /** More elements than this in one document are refused. */
  readonly maxElements: number;
  /** More attributes (namespace declarations included) on one element are refused. */
  readonly maxAttributes: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 64, maxElements: 2_000_000, maxAttributes: 256 };

export type XmlParseOutcome =
  | { readonly ok: true; readonly root: XmlElement }
  | { readonly ok: false; readonly reason: XmlRefusal; readonly message: string };

export type XmlRefusal = 'doctype' | 'malformed' | 'limit' | 'encoding';

class XmlRefused extends Error {
  constructor(readonly reason: XmlRefusal, message: string) {
    super(message);
  }
}

interface OpenElement {
  readonly name: string;
  readonly local: string;
  readonly uri: string;
  readonly attributes: XmlAttribute[];
  readonly namespaces: Readonly<Record<string, string>>;
  readonly children: XmlNode[];
}

const ACCEPTED_ENCODINGS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** Parses one XML document (a UTF-8 buffer or a string) into the hub's tree, or says why not. */
export function parseXml(input: Buffer | string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlParseOutcome {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return { ok: false, reason: 'encoding', message: 'the XML is not valid UTF-8' };
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, root: parseText(text, limits) };
  } catch (error) {
    if (error instanceof XmlRefused) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
}

function parseText(text: string, limits: XmlLimits): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  let elements = 0;

  parser.on('error', (error) => {
    throw new XmlRefused('malformed', `the XML is not well-formed: ${error.message.replace(/^undefined:/, '')}`);
  });
  parser.on('xmldecl', (decl) => {
    if (decl.encoding !== undefined && !ACCEPTED_ENCODINGS.has(decl.encoding.toLowerCase())) {
      throw new XmlRefused('encoding', `the XML declares encoding "${decl.encoding}"; send UTF-8`);
    }
  });
  parser.on('doctype', () => {
    throw new XmlRefused('doctype', 'the XML has a document type declaration (<!DOCTYPE>): TAXII messages never need one, so none is accepted');
  });
  parser.on('opentagstart', (tag) => {
    elements += 1;
    if (elements > limits.maxElements) throw new XmlRefused('limit', `the XML has more than ${limits.maxElements} elements`);
    if (stack.length >= limits.maxDepth) throw new XmlRefused('limit', `the XML nests elements deeper than ${limits.maxDepth} levels`);
    void tag;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attributes = Object.values(tag.attributes);
    if (attributes.length > limits.maxAttributes) throw new XmlRefused('limit', `an element has more than ${limits.maxAttributes} attributes`);
    const parent = stack[stack.length - 1];
    const inherited = parent?.namespaces ?? {};
    const namespaces = tag.ns !== undefined && Object.keys(tag.ns).length > 0 ? { ...inherited, ...tag.ns } : inherited;
    stack.push({
      name: tag.name,
      local: tag.local,
      uri: tag.uri,
      attributes: attributes.map((a) => ({ name: a.name, local: a.local, uri: a.uri, value: a.value })),
      namespaces,
      children: [],
    });
  });
  parser.on('closetag', () => {
    const open = stack.pop();
    if (open === undefined) return;
    const element: XmlElement = { kind: 'element', ...open };
    const parent = stack[stack.length - 1];
    if (parent === undefined) root = element;
    else parent.children.push(element);
  });
  const addText = (t: string): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) return; // whitespace outside the root element
    const last = parent.children[parent.children.length - 1];
    if (last !== undefined && last.kind === 'text') parent.children[parent.children.length - 1] = { kind: 'text', text: last.text + t };
    else parent.children.push({ kind: 'text', text: t });
  };
  parser.on('text', addText);
  parser.on('cdata', addText);

  parser.write(text).close();
  if (root === undefined) throw new XmlRefused('malformed', 'the XML has no root element');
  return root;
}

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
  /** More namespace bindings than this in scope at one element are refused. */
  readonly maxNamespacesInScope: number;
  /**
   * Every element that binds a namespace anew gets its own table of the bindings in scope (what
   * XmlElement.namespaces promises); more bindings than this over all those tables are refused. Without
   * it, a megabyte of siblings each declaring one prefix under a few hundred inherited ones is
   * gigabytes of tables (the namespace-declaration explosion).
   */
  readonly maxNamespaceBindings: number;
}

/**
 * A body of the hub's largest size (16 MB) made of the smallest elements (`<a/>`) would be 4 million
 * elements (before this limit: 350 MB of tree and 6 s of CPU for 1.9 million). 300 000 keeps any
 * tree under about 40 MB and is still above what a 16 MB STIX 1.x package holds (75 to 100 bytes an
 * element: 160 000 to 210 000).
 */
export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 64, maxElements: 300_000, maxAttributes: 256, maxNamespacesInScope: 512, maxNamespaceBindings: 1_000_000 };

export type XmlParseOutcome =
  | { readonly ok: true; readonly root: XmlElement }
  | { readonly ok: false; readonly reason: XmlRefusal; readonly message: string };

export type XmlRefusal = 'doctype' | 'malformed' | 'limit' | 'encoding';

class XmlRefused extends Error {
  constructor(readonly reason: XmlRefusal, message: string) {
    super(message);
  }
}

/** An element while it is built: its children array is replaced on the first child. */
interface BuildingElement {
  readonly kind: 'element';
  readonly name: string;
  readonly local: string;
  readonly uri: string;
  readonly attributes: readonly XmlAttribute[];
  readonly namespaces: Readonly<Record<string, string>>;
  children: XmlNode[];
}

/** Shared by every element without attributes or children (most of them), so they cost nothing. */
const NONE: never[] = [];
Object.freeze(NONE);

const ACCEPTED_ENCODINGS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** Parses one XML document (a UTF-8 buffer or a string) into the hub's tree, or says why not; limits not given are the defaults. */
export function parseXml(input: Buffer | string, given: Partial<XmlLimits> = {}): XmlParseOutcome {
  const limits: XmlLimits = { ...DEFAULT_XML_LIMITS, ...given };
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
  // XML 1.0 rules whatever the declaration says: XML 1.1 would let `&#x1;` through, which no XML 1.0
  // answer echoing it could carry.
  const parser = new SaxesParser({ xmlns: true, position: true, defaultXMLVersion: '1.0', forceXMLVersion: true });
  const stack: BuildingElement[] = [];
  let root: XmlElement | undefined;
  let elements = 0;
  let attributesOfTag = 0;
  let namespaceBindings = 0;
  // Elements that declare what is already in scope, or what a sibling declared, share one table.
  const tables = new WeakMap<Readonly<Record<string, string>>, Map<string, Readonly<Record<string, string>>>>();

  const namespacesOf = (inherited: Readonly<Record<string, string>>, declared: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> => {
    if (declared === undefined) return inherited;
    const prefixes = Object.keys(declared);
    if (prefixes.every((p) => inherited[p] === declared[p])) return inherited;
    const key = prefixes.map((p) => `${p}=${declared[p] ?? ''}`).join(' ');
    let known = tables.get(inherited);
    const found = known?.get(key);
    if (found !== undefined) return found;
    const table = { ...inherited, ...declared };
    const size = Object.keys(table).length;
    if (size > limits.maxNamespacesInScope) throw new XmlRefused('limit', `an element has more than ${limits.maxNamespacesInScope} namespace bindings in scope`);
    namespaceBindings += size;
    if (namespaceBindings > limits.maxNamespaceBindings) {
      throw new XmlRefused('limit', `the XML declares namespaces on too many elements (more than ${limits.maxNamespaceBindings} bindings in scope over all of them)`);
    }
    if (known === undefined) {
      known = new Map();
      tables.set(inherited, known);
    }
    known.set(key, table);
    return table;
  };

  const append = (parent: BuildingElement, node: XmlNode): void => {
    if (parent.children === NONE) parent.children = [node];
    else parent.children.push(node);
  };

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
  parser.on('opentagstart', () => {
    elements += 1;
    attributesOfTag = 0;
    if (elements > limits.maxElements) throw new XmlRefused('limit', `the XML has more than ${limits.maxElements} elements`);
    if (stack.length >= limits.maxDepth) throw new XmlRefused('limit', `the XML nests elements deeper than ${limits.maxDepth} levels`);
  });
  // Counted as they are read, so a tag of a million attributes is refused at the 257th.
  parser.on('attribute', () => {
    attributesOfTag += 1;
    if (attributesOfTag > limits.maxAttributes) throw new XmlRefused('limit', `an element has more than ${limits.maxAttributes} attributes`);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const parent = stack[stack.length - 1];
    const attributes: XmlAttribute[] = [];
    for (const name in tag.attributes) {
      const a = tag.attributes[name] as SaxesTagNS['attributes'][string];
      attributes.push({ name: a.name, local: a.local, uri: a.uri, value: a.value });
    }
    const element: BuildingElement = {
      kind: 'element',
      name: tag.name,
      local: tag.local,
      uri: tag.uri,
      attributes: attributes.length === 0 ? NONE : attributes,
      namespaces: namespacesOf(parent?.namespaces ?? {}, tag.ns !== undefined && Object.keys(tag.ns).length > 0 ? tag.ns : undefined),
      children: NONE,
    };
    if (parent === undefined) root = element;
    else append(parent, element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (t: string): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) return; // whitespace outside the root element
    const last = parent.children[parent.children.length - 1];
    if (last !== undefined && last.kind === 'text') parent.children[parent.children.length - 1] = { kind: 'text', text: last.text + t };
    else append(parent, { kind: 'text', text: t });
  };
  parser.on('text', addText);
  parser.on('cdata', addText);

  parser.write(text).close();
  if (root === undefined) throw new XmlRefused('malformed', 'the XML has no root element');
  return root;
}

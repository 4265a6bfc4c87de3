import { parseXml } from '../../../src/http/taxii11/xml/safe-xml-parser';
import { childElements, type XmlElement } from '../../../src/domain/xml/xml-element';
import { parseTaxiiRequest } from '../../../src/domain/taxii11/parse-request';
import type { ParsedRequest, TaxiiRequest } from '../../../src/domain/taxii11/taxii-requests';
import { TAXII_10_NAMESPACE, TAXII_11_NAMESPACE } from '../../../src/domain/taxii11/taxii-identifiers';

/** Helpers for the TAXII 1.1 message tests: XML text in, the hub's tree out. */

export const NS11 = TAXII_11_NAMESPACE;
export const NS10 = TAXII_10_NAMESPACE;

export function xmlTree(xml: string): XmlElement {
  const parsed = parseXml(xml);
  if (!parsed.ok) throw new Error(`test XML does not parse: ${parsed.message}`);
  return parsed.root;
}

export function parseRequest(xml: string): ParsedRequest {
  return parseTaxiiRequest(xmlTree(xml));
}

/** The request, failing the test with the outcome's message when it was refused. */
export function parsedMessage(xml: string): TaxiiRequest {
  const outcome = parseRequest(xml);
  if (!outcome.ok) throw new Error(`refused: ${outcome.status} ${outcome.message}`);
  return outcome.message;
}

/** A refused outcome, failing the test when the request was accepted. */
export function refusal(xml: string): { status: string; message: string; inResponseTo: string } {
  const outcome = parseRequest(xml);
  if (outcome.ok) throw new Error(`accepted: ${JSON.stringify(outcome.message)}`);
  return { status: outcome.status, message: outcome.message, inResponseTo: outcome.inResponseTo };
}

/**
 * The same 1.1 example written with another prefix: `ns2` (JAXB's), or '' for the default namespace.
 * Examples are written with `taxii_11:`.
 */
export function withPrefix(xml: string, prefix: string): string {
  if (prefix === 'taxii_11') return xml;
  if (prefix === '') return xml.replace(/xmlns:taxii_11=/g, 'xmlns=').replace(/(<\/?)taxii_11:/g, '$1');
  return xml.replace(/xmlns:taxii_11=/g, `xmlns:${prefix}=`).replace(/(<\/?)taxii_11:/g, `$1${prefix}:`);
}

export const PREFIXES = ['taxii_11', 'ns2', ''] as const;

/** `{uri}local` of each element child, in order. */
export function childNames(element: XmlElement): string[] {
  return childElements(element).map((c) => `{${c.uri}}${c.local}`);
}

/** Local names of the element children, checking each is in `uri`. */
export function childLocals(element: XmlElement, uri = NS11): string[] {
  return childElements(element).map((c) => {
    if (c.uri !== uri) throw new Error(`${c.local} is in namespace ${c.uri}, not ${uri}`);
    return c.local;
  });
}

/** The single child named `local` in `uri`, failing when absent. */
export function child(element: XmlElement, local: string, uri = NS11): XmlElement {
  const found = childElements(element).filter((c) => c.uri === uri && c.local === local);
  if (found.length !== 1) throw new Error(`${element.local} has ${found.length} ${local} children`);
  return found[0] as XmlElement;
}

export const TAXII_11 = `xmlns:taxii_11="${NS11}"`;
export const STIX_PACKAGE = '<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" id="example:Package-1" version="1.2"/>';

import { parseXml } from '../../../src/http/taxii11/xml/safe-xml-parser';
import { normaliseIndicator, type IndicatorInput } from '../../../src/domain/indicators';
import { indicatorContent, indicatorVersion, type IndicatorSettings } from '../../../src/domain/submission/indicator-object';
import { childElements, type XmlElement } from '../../../src/domain/xml/xml-element';
import { STIX1_NAMESPACES } from '../../../src/domain/stix1';
import type { Stix12Context } from '../../../src/domain/stix1';

/** What the stix1 tests share: hub indicators built the way the hub builds them, and reading XML by namespace. */

export const NS = STIX1_NAMESPACES;
export const HUB_URI = 'https://hub.example.org/stix1';
export const INDICATOR_UUID = '0b5c8f6e-3a52-4c3b-8a52-2e1f0d9c4e77';
export const INDICATOR_ID = `indicator--${INDICATOR_UUID}`;
export const PROVIDER_ID = 'identity--2f1c2a1e-2f4e-4d8b-9a55-0a3e4f0b7c11';

export const CONTEXT: Stix12Context = {
  idNamespace: { prefix: 'taxii-hub', uri: HUB_URI },
  source: { name: 'Acme CERT', identityId: PROVIDER_ID },
  campaigns: [],
  nowMicros: Date.parse('2026-06-01T00:00:00Z') * 1000,
};

export const SETTINGS: IndicatorSettings = {
  providerIdentityId: PROVIDER_ID,
  tlp: 'amber',
  recipients: [],
  confidence: 80,
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2027-01-01T00:00:00.000Z',
};

/** A hub indicator version for one submitted value, as the submission service writes it. */
export function hubIndicator(input: IndicatorInput, settings: Partial<IndicatorSettings> = {}, modified = '2026-02-03T04:05:06.123456Z'): Record<string, unknown> {
  const result = normaliseIndicator(input);
  if (!result.ok) throw new Error(`refused ${JSON.stringify(input)}: ${result.message}`);
  return indicatorVersion(INDICATOR_ID, '2026-02-01T00:00:00.000Z', modified, indicatorContent(result.indicator, { ...SETTINGS, ...settings }));
}

/** A STIX 2.1 indicator with a pattern and nothing of the hub's. */
export function taxii21Indicator(pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: INDICATOR_ID,
    created: '2026-02-01T00:00:00.000Z',
    modified: '2026-02-03T04:05:06.123Z',
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-02-01T00:00:00Z',
    ...extra,
  };
}

export function parsed(xml: string): XmlElement {
  const result = parseXml(xml);
  if (!result.ok) throw new Error(`not well-formed: ${result.message}\n${xml}`);
  return result.root;
}

/** Every descendant element (and the element itself) named `local` in namespace `uri`, in document order. */
export function findAll(element: XmlElement, uri: string, local: string): XmlElement[] {
  const found: XmlElement[] = element.uri === uri && element.local === local ? [element] : [];
  for (const child of childElements(element)) found.push(...findAll(child, uri, local));
  return found;
}

export function findOne(element: XmlElement, uri: string, local: string): XmlElement {
  const [first] = findAll(element, uri, local);
  if (first === undefined) throw new Error(`no ${local} in ${uri}`);
  return first;
}

/** A STIX 1.2 package around the given indicators and other top-level content, with the usual prefixes. */
export function stix1Package(body: string, attributes = 'version="1.2"'): XmlElement {
  const declarations = Object.entries(NS)
    .map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`)
    .join(' ');
  return parsed(`<stix:STIX_Package ${declarations} xmlns:example="http://example.com" id="example:Package-1" ${attributes}>${body}</stix:STIX_Package>`);
}

/** One indicator (Observable content given) in a package. */
export function indicatorPackage(observable: string, more = '', header = ''): XmlElement {
  return stix1Package(
    `${header}<stix:Indicators><stix:Indicator xsi:type="indicator:IndicatorType" id="example:indicator-1" timestamp="2014-02-20T09:00:00.000000Z">` +
      `<indicator:Title>An indicator</indicator:Title>${more}<indicator:Observable id="example:Observable-1">${observable}</indicator:Observable>` +
      `</stix:Indicator></stix:Indicators>`,
  );
}

export function cyboxObject(properties: string, related = ''): string {
  return `<cybox:Object id="example:Object-1"><cybox:Properties ${properties}</cybox:Properties>${related}</cybox:Object>`;
}

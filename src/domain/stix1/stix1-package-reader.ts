import { attributeOf, childElements, childrenNamed, type XmlElement } from '../xml/xml-element';
import type { ElementIndex } from './cybox-reader';
import { NS } from './stix1-namespaces';
import { readStix1Indicator, tlpOfHandling, type Stix1IndicatorReading, type Unmapped } from './stix1-indicator-reader';

/**
 * STIX 1.x → STIX 2.1 for a whole package (what a TAXII 1.1 Inbox message carries in one
 * Content_Block): each indicator read or refused with its reason, and everything else the package
 * holds named as unmapped (never invented into STIX 2.1).
 */

export type Stix1PackageReading =
  | { readonly ok: false; readonly reason: string }
  | { readonly ok: true; readonly indicators: readonly Stix1IndicatorReading[]; readonly unmapped: readonly Unmapped[] };

/** STIX versions whose packages use the namespaces read here (STIX 1.2.1 moved them, see the mapping document). */
const ACCEPTED_VERSIONS = ['1.1', '1.1.1', '1.2'];

function indexById(root: XmlElement): Map<string, XmlElement> {
  const index = new Map<string, XmlElement>();
  const stack: XmlElement[] = [root];
  for (let element = stack.pop(); element !== undefined; element = stack.pop()) {
    const id = attributeOf(element, 'id');
    if (id !== undefined && !index.has(id)) index.set(id, element);
    stack.push(...childElements(element));
  }
  return index;
}

function idrefsUnder(elements: readonly XmlElement[]): Set<string> {
  const refs = new Set<string>();
  const stack = [...elements];
  for (let element = stack.pop(); element !== undefined; element = stack.pop()) {
    const idref = attributeOf(element, 'idref');
    if (idref !== undefined) refs.add(idref);
    stack.push(...childElements(element));
  }
  return refs;
}

/** Observables the package lists at top level that no indicator uses, directly or through another observable. */
function unreferencedObservables(root: XmlElement, indicators: readonly XmlElement[], index: ElementIndex): Unmapped[] {
  const referenced = idrefsUnder(indicators);
  const pending = [...referenced];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    const target = index.get(id);
    if (target === undefined) continue;
    for (const further of idrefsUnder([target])) {
      if (!referenced.has(further)) {
        referenced.add(further);
        pending.push(further);
      }
    }
  }
  return childrenNamed(root, NS.stix, 'Observables')
    .flatMap((o) => childrenNamed(o, NS.cybox, 'Observable'))
    .filter((o) => !referenced.has(attributeOf(o, 'id') ?? ''))
    .map((o) => ({ what: 'Observable', ...idOf(o), reason: 'an observable no indicator refers to is not mapped (the hub shares indicators, not bare observables)' }));
}

function idOf(element: XmlElement): { id?: string } {
  const id = attributeOf(element, 'id') ?? attributeOf(element, 'idref');
  return id === undefined ? {} : { id };
}

/** Top-level constructs other than indicators and observables: each item is named. */
function otherConstructs(root: XmlElement): Unmapped[] {
  const unmapped: Unmapped[] = [];
  for (const container of childElements(root)) {
    if (container.uri === NS.stix && ['STIX_Header', 'Observables', 'Indicators'].includes(container.local)) continue;
    const items = childElements(container);
    const reason = `STIX 1.x ${container.local} are not mapped to STIX 2.1 by the hub`;
    if (items.length === 0) unmapped.push({ what: container.local, reason });
    for (const item of items) unmapped.push({ what: item.local, ...idOf(item), reason });
  }
  return unmapped;
}

/** Reads a STIX 1.1.1 or 1.2 package. Never throws. */
export function readStix1Package(root: XmlElement): Stix1PackageReading {
  try {
    return readPackage(root);
  } catch (error) {
    return { ok: false, reason: `the package could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function readPackage(root: XmlElement): Stix1PackageReading {
  if (root.uri !== NS.stix || root.local !== 'STIX_Package') {
    return { ok: false, reason: `the content is ${root.name} in namespace ${JSON.stringify(root.uri)}, not a STIX 1.x STIX_Package (${NS.stix})` };
  }
  const version = attributeOf(root, 'version');
  if (version !== undefined && !ACCEPTED_VERSIONS.includes(version)) {
    return { ok: false, reason: `STIX version ${JSON.stringify(version)} is not read (the hub reads STIX 1.1.1 and 1.2 packages)` };
  }
  const index = indexById(root);
  const headerHandling = childrenNamed(root, NS.stix, 'STIX_Header').flatMap((h) => childrenNamed(h, NS.stix, 'Handling'));
  const packageTlp = tlpOfHandling(headerHandling);
  const unmapped: Unmapped[] = [];
  const indicatorElements: XmlElement[] = [];
  for (const container of childrenNamed(root, NS.stix, 'Indicators')) {
    for (const child of childElements(container)) {
      if (child.uri === NS.stix && child.local === 'Indicator') indicatorElements.push(child);
      else unmapped.push({ what: child.local, ...idOf(child), reason: 'not a stix:Indicator' });
    }
  }
  const indicators = indicatorElements.map((element) => readStix1Indicator(element, index, packageTlp, unmapped));
  unmapped.push(...unreferencedObservables(root, indicatorElements, index), ...otherConstructs(root));
  return { ok: true, indicators, unmapped };
}

import { HUB_EXTENSION_ID } from '../hub-extension';
import type { HashAlgorithm, IndicatorKind } from '../indicators';
import { formatMicros, parseMicros } from '../timestamps';
import { markingRefFor, tlpRank, type TlpLevel } from '../tlp';
import { attributeOf, childElements, childrenNamed, textOf, xsiTypeOf, type XmlElement } from '../xml/xml-element';
import { readObservable, type ElementIndex } from './cybox-reader';
import { patternOfObservable } from './cybox-to-pattern';
import { NS } from './stix1-namespaces';
import { confidenceValue, indicatorTypeOf, levelOfTlpColor, stix21KillChainPhase, type KillChainPhase21 } from './stix1-vocabularies';

/**
 * STIX 1.x → STIX 2.1 for one `stix:Indicator`: its properties as STIX 2.1 indicator properties
 * (without id and created_by_ref, which the inbox assigns), or why it does not map.
 */

/**
 * The hub extension of an indicator that came as STIX 1.x: its STIX 1.x id and the namespace URI of
 * that id's prefix (so the provider gets its own id back: see indicatorToStix12's `stix1Id`), and,
 * when its values are all of one kind, the kind as the hub writes it for a submitted indicator.
 */
export interface HubKindExtension {
  readonly extension_type: 'property-extension';
  readonly kind?: IndicatorKind;
  readonly hash_algorithm?: HashAlgorithm;
  readonly state: 'active';
  readonly stix1_id?: string;
  readonly stix1_namespace?: string;
}

export interface MappedIndicator {
  readonly type: 'indicator';
  readonly spec_version: '2.1';
  /** The STIX 1.x timestamp; absent when it has none (the inbox uses now). */
  readonly created?: string;
  readonly modified?: string;
  readonly name?: string;
  readonly description?: string;
  readonly indicator_types: readonly string[];
  readonly pattern: string;
  readonly pattern_type: 'stix';
  readonly pattern_version: '2.1';
  /** Start_Time, else the timestamp; absent when neither is given (the inbox uses now). */
  readonly valid_from?: string;
  readonly valid_until?: string;
  readonly kill_chain_phases?: readonly KillChainPhase21[];
  readonly confidence?: number;
  /** The TLP 2.0 marking of the indicator, or of its package when the indicator has none (the stricter when both have one). */
  readonly object_marking_refs?: readonly string[];
  readonly extensions?: Readonly<Record<string, HubKindExtension>>;
}

export type Stix1IndicatorReading =
  | { readonly stix1Id: string; readonly ok: true; readonly indicator: MappedIndicator }
  | { readonly stix1Id: string; readonly ok: false; readonly reason: string };

export interface Unmapped {
  readonly what: string;
  readonly id?: string;
  readonly reason: string;
}

/** Indicator children the mapping reads (Producer is the sender, whom the inbox knows). */
const READ_CHILDREN = new Set(['Title', 'Type', 'Description', 'Valid_Time_Position', 'Observable', 'Kill_Chain_Phases', 'Confidence', 'Handling', 'Producer']);

/** An xs:dateTime as a STIX 2.1 timestamp; one without a zone is read as UTC. */
export function stixTimestamp(text: string): string | undefined {
  const trimmed = text.trim();
  const micros = parseMicros(trimmed) ?? parseMicros(`${trimmed}Z`);
  return micros === undefined ? undefined : formatMicros(micros);
}

/** The strictest TLP marking structure in a Handling element, if any. */
export function tlpOfHandling(handling: readonly XmlElement[]): TlpLevel | undefined {
  let level: TlpLevel | undefined;
  for (const marking of handling.flatMap((h) => childrenNamed(h, NS.marking, 'Marking'))) {
    for (const structure of childrenNamed(marking, NS.marking, 'Marking_Structure')) {
      const type = xsiTypeOf(structure);
      if (type?.uri !== NS.tlpMarking || type.local !== 'TLPMarkingStructureType') continue;
      const found = levelOfTlpColor(attributeOf(structure, 'color') ?? '');
      if (found !== undefined && (level === undefined || tlpRank(found) > tlpRank(level))) level = found;
    }
  }
  return level;
}

function texts(indicator: XmlElement, local: string): string[] {
  return childrenNamed(indicator, NS.indicator, local)
    .map((e) => textOf(e).trim())
    .filter((t) => t !== '');
}

type Field<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

function validTime(indicator: XmlElement): Field<{ readonly from?: string; readonly until?: string }> {
  const [position] = childrenNamed(indicator, NS.indicator, 'Valid_Time_Position');
  if (position === undefined) return { ok: true, value: {} };
  const read = (local: string): Field<string | undefined> => {
    const [element] = childrenNamed(position, NS.indicator, local);
    if (element === undefined) return { ok: true, value: undefined };
    const stamp = stixTimestamp(textOf(element));
    return stamp === undefined ? { ok: false, reason: `${local} ${JSON.stringify(textOf(element).trim())} is not a date and time` } : { ok: true, value: stamp };
  };
  const from = read('Start_Time');
  if (!from.ok) return from;
  const until = read('End_Time');
  if (!until.ok) return until;
  if (from.value !== undefined && until.value !== undefined && (parseMicros(until.value) ?? 0) <= (parseMicros(from.value) ?? 0)) {
    return { ok: false, reason: 'End_Time is not after Start_Time' };
  }
  return { ok: true, value: { ...(from.value === undefined ? {} : { from: from.value }), ...(until.value === undefined ? {} : { until: until.value }) } };
}

function killChainPhases(indicator: XmlElement, stix1Id: string, unmapped: Unmapped[]): KillChainPhase21[] {
  const phases: KillChainPhase21[] = [];
  for (const phase of childrenNamed(indicator, NS.indicator, 'Kill_Chain_Phases').flatMap((k) => childrenNamed(k, NS.stixCommon, 'Kill_Chain_Phase'))) {
    const name = attributeOf(phase, 'name');
    const chain = attributeOf(phase, 'kill_chain_name');
    if (name === undefined || chain === undefined || name.trim() === '' || chain.trim() === '') {
      unmapped.push({ what: 'Indicator Kill_Chain_Phase', id: stix1Id, reason: 'a kill-chain phase without name and kill_chain_name (given only by id) is not mapped' });
    } else phases.push(stix21KillChainPhase(chain, name));
  }
  return phases;
}

function indicatorTypes(indicator: XmlElement): string[] {
  const mapped = texts(indicator, 'Type').map(indicatorTypeOf).filter((t): t is string => t !== undefined);
  return [...new Set(['malicious-activity', ...mapped])];
}

/** Reads one indicator; what it leaves out is added to `unmapped`. */
export function readStix1Indicator(indicator: XmlElement, index: ElementIndex, packageTlp: TlpLevel | undefined, unmapped: Unmapped[]): Stix1IndicatorReading {
  const stix1Id = attributeOf(indicator, 'id') ?? attributeOf(indicator, 'idref') ?? '';
  const refuse = (reason: string): Stix1IndicatorReading => ({ stix1Id, ok: false, reason });
  if (attributeOf(indicator, 'id') === undefined && attributeOf(indicator, 'idref') !== undefined) {
    return refuse('an indicator given only by idref (its content is elsewhere) is not mapped');
  }
  if (childrenNamed(indicator, NS.indicator, 'Composite_Indicator_Expression').length > 0) {
    return refuse('a composite indicator expression is not mapped (its combination of indicators can be ambiguous)');
  }
  const [observableElement, secondObservable] = childrenNamed(indicator, NS.indicator, 'Observable');
  if (observableElement === undefined) return refuse('the indicator has no Observable');
  if (secondObservable !== undefined) return refuse('the indicator has several Observables, which STIX 1.2 does not allow');
  const timestampText = attributeOf(indicator, 'timestamp');
  const timestamp = timestampText === undefined ? undefined : stixTimestamp(timestampText);
  if (timestampText !== undefined && timestamp === undefined) return refuse(`timestamp ${JSON.stringify(timestampText)} is not a date and time`);
  const time = validTime(indicator);
  if (!time.ok) return refuse(time.reason);

  const observable = readObservable(observableElement, index);
  if (!observable.ok) return refuse(observable.reason);
  const emailTyped = texts(indicator, 'Type').some((t) => indicatorTypeOf(t) === 'malicious-email');
  const reading = patternOfObservable(observable.value, emailTyped ? 'email-sender-ip' : 'c2-ip');
  if (!reading.ok) return refuse(reading.reason);

  for (const child of childElements(indicator)) {
    if (child.uri === NS.indicator && READ_CHILDREN.has(child.local)) continue;
    unmapped.push({ what: `Indicator ${child.local}`, id: stix1Id, reason: `the indicator's ${child.local} is not mapped to STIX 2.1` });
  }
  const [name] = texts(indicator, 'Title');
  const descriptions = texts(indicator, 'Description');
  const phases = killChainPhases(indicator, stix1Id, unmapped);
  const [confidenceText] = childrenNamed(indicator, NS.indicator, 'Confidence').flatMap((c) => childrenNamed(c, NS.stixCommon, 'Value'));
  const confidence = confidenceText === undefined ? undefined : confidenceValue(textOf(confidenceText));
  const ownTlp = tlpOfHandling(childrenNamed(indicator, NS.indicator, 'Handling'));
  const tlp = ownTlp === undefined ? packageTlp : packageTlp === undefined || tlpRank(ownTlp) >= tlpRank(packageTlp) ? ownTlp : packageTlp;
  const validFrom = time.value.from ?? timestamp;
  const kind = reading.value.hubKind;
  const colon = stix1Id.indexOf(':');
  const stix1Namespace = colon > 0 ? indicator.namespaces[stix1Id.slice(0, colon)] : undefined;
  const mapped: MappedIndicator = {
    type: 'indicator',
    spec_version: '2.1',
    ...(timestamp === undefined ? {} : { created: timestamp, modified: timestamp }),
    ...(name === undefined ? {} : { name }),
    ...(descriptions.length === 0 ? {} : { description: descriptions.join('\n\n') }),
    indicator_types: indicatorTypes(indicator),
    pattern: reading.value.pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    ...(validFrom === undefined ? {} : { valid_from: validFrom }),
    ...(time.value.until === undefined ? {} : { valid_until: time.value.until }),
    ...(phases.length === 0 ? {} : { kill_chain_phases: phases }),
    ...(confidence === undefined ? {} : { confidence }),
    ...(tlp === undefined ? {} : { object_marking_refs: [markingRefFor(tlp)] }),
    extensions: {
      [HUB_EXTENSION_ID]: {
        extension_type: 'property-extension',
        ...(kind === undefined ? {} : { kind: kind.kind, ...(kind.algorithm === undefined ? {} : { hash_algorithm: kind.algorithm }) }),
        state: 'active',
        ...(stix1Id === '' ? {} : { stix1_id: stix1Id }),
        ...(stix1Namespace === undefined ? {} : { stix1_namespace: stix1Namespace }),
      },
    },
  };
  return { stix1Id, ok: true, indicator: mapped };
}

import { HUB_EXTENSION_ID } from '../hub-extension';
import { INDICATOR_KINDS, type IndicatorKind } from '../indicators';
import { stateOf, stateReasonOf } from '../lifecycle/indicator-state';
import { parseMicros } from '../timestamps';
import { tlpFromMarkingRefs } from '../tlp';
import { kindsOf, type CyboxObservable } from './cybox-objects';
import { CyboxIds, observableXml } from './cybox-writer';
import { cyboxOfPattern } from './pattern-to-cybox';
import { STIX1_NAMESPACES } from './stix1-namespaces';
import { attributeText, nonXmlCharacter, tag, xmlSafe, xmlText } from './xml-text';
import { confidenceWord, INDICATOR_TYPES_OF_KIND, stix1KillChainPhase, TLP_COLOR_OF_LEVEL } from './stix1-vocabularies';

/**
 * STIX 2.1 → STIX 1.2: one indicator version as one STIX_Package (what a TAXII 1.1 Poll or push
 * carries in one Content_Block). Every version of an object gets the same STIX 1.x indicator id (the
 * UUID of its STIX 2.1 id) and its own timestamp (the version's `modified`), so a 1.1 consumer sees
 * a revision; a revoked or benign version says so in its title, description and ended valid time.
 */

export interface Stix12Context {
  /** The hub's STIX 1.x id namespace, e.g. `{ prefix: 'taxii-hub', uri: 'https://hub.example.org/stix1' }`. */
  readonly idNamespace: { readonly prefix: string; readonly uri: string };
  /** The information source: the provider's name, or the hub's when attribution is hidden (the caller decides). */
  readonly source: { readonly name: string; readonly identityId?: string };
  /** Campaigns the indicator relates to, resolved by the caller (may be empty). */
  readonly campaigns: readonly { readonly id: string; readonly name: string }[];
  readonly nowMicros: number;
  /**
   * Whether an indicator that came as STIX 1.x keeps the id its provider gave it (the hub extension's
   * stix1_id and stix1_namespace). The caller allows it only where the reader may know the provider:
   * a provider's own namespace would otherwise name it where attribution is hidden.
   */
  readonly keepProviderIds?: boolean;
  /**
   * The package's STIX version: 1.2 by default, or 1.1.1 for a consumer that asked for that content
   * binding (every element written here exists in STIX 1.1.1 under the same namespaces).
   */
  readonly stixVersion?: '1.2' | '1.1.1';
}

export type Stix12Outcome =
  | { readonly ok: true; readonly packageXml: string; readonly stix1Id: string; readonly timestamp: string }
  | { readonly ok: false; readonly reason: string };

type StixObject = Readonly<Record<string, unknown>>;

const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const UUID_PART = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function hubExtension(indicator: StixObject): Readonly<Record<string, unknown>> | undefined {
  const extensions = indicator.extensions;
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const extension = (extensions as Record<string, unknown>)[HUB_EXTENSION_ID];
  return typeof extension === 'object' && extension !== null && !Array.isArray(extension) ? (extension as Record<string, unknown>) : undefined;
}

function hubKindOf(indicator: StixObject): IndicatorKind | undefined {
  const kind = hubExtension(indicator)?.kind;
  return (INDICATOR_KINDS as readonly unknown[]).includes(kind) ? (kind as IndicatorKind) : undefined;
}

/** revoked or benign when the version is final (STIX `revoked`, or the state in the hub extension). */
function finalState(indicator: StixObject, nowMicros: number): 'revoked' | 'benign' | undefined {
  const stored = hubExtension(indicator)?.state;
  if (stored === 'benign' || stored === 'revoked') return stored;
  const state = stateOf(indicator, nowMicros);
  return state === 'revoked' || state === 'benign' ? state : undefined;
}

function uuidOf(id: string, type: string): string | undefined {
  const prefix = `${type}--`;
  if (!id.startsWith(prefix)) return undefined;
  const uuid = id.slice(prefix.length);
  return UUID_PART.test(uuid) ? uuid : undefined;
}

function valuesOf(observable: CyboxObservable): string[] {
  return observable.flatMap((o) => (o.type === 'email-message' ? o.fields.flatMap((f) => f.values) : o.values));
}

function indicatorTypes(observable: CyboxObservable): string[] {
  const kinds = new Set(observable.flatMap(kindsOf));
  return [...new Set(INDICATOR_KINDS.filter((k) => kinds.has(k)).flatMap((k) => INDICATOR_TYPES_OF_KIND[k]))];
}

function textElement(name: string, value: string | undefined): string {
  return value === undefined || value === '' ? '' : tag(name, '', xmlText(value));
}

/** ` name="value"`, escaped; nothing for an undefined value (as elementText leaves it out). */
function attribute(name: string, value: string | undefined): string {
  return value === undefined ? '' : ` ${name}="${attributeText(value)}"`;
}

interface Presentation {
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly endTime: string | undefined;
}

/** Title, Description and End_Time: a final version states its state and reason, and has ended at its `modified`. */
function presentation(indicator: StixObject, modified: string, nowMicros: number): Presentation {
  const name = text(indicator.name);
  const description = text(indicator.description);
  const validUntil = text(indicator.valid_until);
  const state = finalState(indicator, nowMicros);
  if (state === undefined) return { title: name, description, endTime: validUntil };
  const reason = stateReasonOf(indicator);
  const stated =
    state === 'revoked' ? `REVOKED: ${reason ?? 'withdrawn by its provider'}` : `BENIGN (no longer malicious): ${reason ?? 'no reason given'}`;
  const until = validUntil !== undefined ? parseMicros(validUntil) : undefined;
  const ended = until !== undefined && until < (parseMicros(modified) ?? until) ? validUntil : modified;
  return {
    title: `${state === 'revoked' ? 'REVOKED' : 'BENIGN'}: ${name ?? 'indicator'}`,
    description: description === undefined ? stated : `${stated}\n\n${description}`,
    endTime: ended,
  };
}

function validTime(start: string | undefined, end: string | undefined): string {
  const content = textElement('indicator:Start_Time', start) + textElement('indicator:End_Time', end);
  return content === '' ? '' : tag('indicator:Valid_Time_Position', '', content);
}

function killChainPhases(value: unknown): string {
  if (!Array.isArray(value)) return '';
  const phases = value
    .filter((p): p is { kill_chain_name: string; phase_name: string } => typeof p?.kill_chain_name === 'string' && typeof p?.phase_name === 'string')
    .map((p) => {
      const { killChainName, name } = stix1KillChainPhase(p);
      return tag('stixCommon:Kill_Chain_Phase', attribute('name', xmlSafe(name)) + attribute('kill_chain_name', xmlSafe(killChainName)), '');
    });
  return phases.length === 0 ? '' : tag('indicator:Kill_Chain_Phases', '', phases.join(''));
}

function confidence(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) return '';
  const word = tag('stixCommon:Value', ' xsi:type="stixVocabs:HighMediumLowVocab-1.0"', confidenceWord(value));
  return tag('indicator:Confidence', '', word);
}

/** The source's identity; its id only in the header (an id appears once in a document). */
function identity(source: Stix12Context['source'], prefix: string, withId: boolean): string {
  const uuid = source.identityId === undefined || !withId ? undefined : uuidOf(source.identityId, 'identity');
  return tag('stixCommon:Identity', attribute('id', uuid === undefined ? undefined : `${prefix}:identity-${uuid}`), textElement('stixCommon:Name', source.name));
}

function relatedCampaigns(campaigns: Stix12Context['campaigns'], prefix: string): string {
  const related = campaigns.map((c) => {
    const uuid = uuidOf(c.id, 'campaign');
    const names = tag('stixCommon:Names', '', textElement('stixCommon:Name', c.name));
    const campaign = tag('stixCommon:Campaign', attribute('idref', uuid === undefined ? undefined : `${prefix}:Campaign-${uuid}`), c.name === '' ? '' : names);
    return tag('indicator:Related_Campaign', '', campaign);
  });
  return related.length === 0 ? '' : tag('indicator:Related_Campaigns', '', related.join(''));
}

function header(indicator: StixObject, context: Stix12Context): string {
  const refs = Array.isArray(indicator.object_marking_refs) ? indicator.object_marking_refs.filter((r): r is string => typeof r === 'string') : [];
  const level = tlpFromMarkingRefs(refs);
  const handling = level === undefined ? '' : HANDLING_OF_LEVEL[level];
  const source = tag('stix:Information_Source', '', identity(context.source, context.idNamespace.prefix, true));
  return tag('stix:STIX_Header', '', handling + source);
}

/** The package's Handling for each TLP level (the same text for every package: written once). */
const HANDLING_OF_LEVEL: Readonly<Record<keyof typeof TLP_COLOR_OF_LEVEL, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(TLP_COLOR_OF_LEVEL).map(([level, color]) => {
      const structure = tag('marking:Marking_Structure', ` xsi:type="tlpMarking:TLPMarkingStructureType" color="${attributeText(color)}"`, '');
      const marking = tag('marking:Marking', '', tag('marking:Controlled_Structure', '', xmlText('//node() | //@*')) + structure);
      return [level, tag('stix:Handling', '', marking)];
    }),
  ) as Record<keyof typeof TLP_COLOR_OF_LEVEL, string>,
);

/** The declarations of the STIX 1.x prefixes on every package root (the same text for every package: written once). */
const STIX1_DECLARATIONS = Object.entries(STIX1_NAMESPACES)
  .map(([prefix, uri]) => attribute(`xmlns:${prefix}`, uri))
  .join('');

function contextProblem(context: Stix12Context): string | undefined {
  const { prefix, uri } = context.idNamespace;
  if (!NCNAME.test(prefix) || /^xml/i.test(prefix)) return `the id namespace prefix ${JSON.stringify(prefix)} is not an XML namespace prefix`;
  if (Object.prototype.hasOwnProperty.call(STIX1_NAMESPACES, prefix)) return `the id namespace prefix ${JSON.stringify(prefix)} is one of the STIX 1.x prefixes`;
  if (uri === '') return 'the id namespace URI is empty';
  return undefined;
}

/** One STIX 2.1 indicator version as a STIX 1.2 package, or why it has no faithful STIX 1.2 form. Never throws. */
export function indicatorToStix12(indicator: Readonly<Record<string, unknown>>, context: Stix12Context): Stix12Outcome {
  try {
    return mapIndicator(indicator, context);
  } catch (error) {
    return { ok: false, reason: `the indicator could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function mapIndicator(indicator: StixObject, context: Stix12Context): Stix12Outcome {
  const problem = contextProblem(context);
  if (problem !== undefined) return { ok: false, reason: problem };
  if (typeof indicator !== 'object' || indicator === null) return { ok: false, reason: 'not a STIX object' };
  if (indicator.type !== 'indicator') return { ok: false, reason: `a ${typeof indicator.type === 'string' ? indicator.type : 'object without type'} is not an indicator` };
  const id = text(indicator.id);
  const uuid = id === undefined ? undefined : uuidOf(id, 'indicator');
  if (uuid === undefined) return { ok: false, reason: 'the indicator has no id of the form indicator--<uuid>' };
  if (indicator.pattern_type !== 'stix') return { ok: false, reason: `pattern_type ${JSON.stringify(indicator.pattern_type)} is not stix: only STIX patterns map to CybOX` };
  const pattern = text(indicator.pattern);
  if (pattern === undefined) return { ok: false, reason: 'the indicator has no pattern' };
  const modified = text(indicator.modified) ?? text(indicator.created);
  const modifiedMicros = modified === undefined ? undefined : parseMicros(modified);
  if (modified === undefined || modifiedMicros === undefined) return { ok: false, reason: 'the indicator has no valid modified timestamp' };
  const observable = cyboxOfPattern(pattern, hubKindOf(indicator));
  if (!observable.ok) return observable;
  const unwritable = valuesOf(observable.value).find((v) => nonXmlCharacter(v) !== undefined);
  if (unwritable !== undefined) return { ok: false, reason: `the value ${JSON.stringify(unwritable)} has a character XML cannot carry` };

  const { prefix } = context.idNamespace;
  const original = context.keepProviderIds === true ? providerStix1Id(indicator, context.idNamespace) : undefined;
  const stix1Id = original?.id ?? `${prefix}:indicator-${uuid}`;
  const ids = new CyboxIds(prefix, uuid);
  const shown = presentation(indicator, modified, context.nowMicros);
  const types = indicatorTypes(observable.value)
    .map((t) => tag('indicator:Type', ' xsi:type="stixVocabs:IndicatorTypeVocab-1.1"', xmlText(t)))
    .join('');
  const body =
    textElement('indicator:Title', shown.title) +
    types +
    textElement('indicator:Description', shown.description) +
    validTime(text(indicator.valid_from), shown.endTime) +
    observableXml(observable.value, ids) +
    killChainPhases(indicator.kill_chain_phases) +
    confidence(indicator.confidence) +
    relatedCampaigns(context.campaigns, prefix) +
    tag('indicator:Producer', '', identity(context.source, prefix, false));
  const stamp = attribute('timestamp', modified);
  const indicatorXml = tag('stix:Indicator', `${attribute('id', stix1Id)}${stamp} xsi:type="indicator:IndicatorType"`, body);
  const declarations =
    STIX1_DECLARATIONS +
    attribute(`xmlns:${prefix}`, context.idNamespace.uri) +
    (original === undefined || original.prefix === prefix ? '' : attribute(`xmlns:${original.prefix}`, original.namespace));
  const packageXml = tag(
    'stix:STIX_Package',
    `${declarations}${attribute('id', `${prefix}:Package-${uuid}-${modifiedMicros}`)} version="${context.stixVersion ?? '1.2'}"${stamp}`,
    header(indicator, context) + tag('stix:Indicators', '', indicatorXml),
  );
  return { ok: true, packageXml, stix1Id, timestamp: modified };
}

/**
 * The STIX 1.x id an indicator came with (hub extension stix1_id, its prefix bound to stix1_namespace),
 * when it is one the package can declare: a prefix the hub's own namespaces do not use.
 */
function providerStix1Id(indicator: StixObject, own: Stix12Context['idNamespace']): { id: string; prefix: string; namespace: string } | undefined {
  const extension = hubExtension(indicator);
  const id = text(extension?.stix1_id);
  const namespace = text(extension?.stix1_namespace);
  if (id === undefined || namespace === undefined) return undefined;
  const colon = id.indexOf(':');
  const prefix = id.slice(0, colon);
  if (colon <= 0 || !NCNAME.test(prefix) || !NCNAME.test(id.slice(colon + 1)) || /^xml/i.test(prefix) || nonXmlCharacter(namespace) !== undefined) return undefined;
  if (Object.prototype.hasOwnProperty.call(STIX1_NAMESPACES, prefix) || (prefix === own.prefix && namespace !== own.uri)) return undefined;
  return { id, prefix, namespace };
}

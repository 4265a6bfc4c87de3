import { normaliseIndicator, type HashAlgorithm, type IndicatorKind } from '../indicators';
import { isIndicatorKind } from '../indicators/indicator-kinds';
import { HUB_EXTENSION_ID } from '../hub-extension';
import { kindsOf, type CyboxObject } from '../stix1/cybox-objects';
import { cyboxOfPattern } from '../stix1/pattern-to-cybox';
import type { TlpLevel } from '../tenancy';
import { parseMicros } from '../timestamps';

/**
 * What a sensor feed carries: one value of one indicator that a sensor can match, normalised as the
 * hub normalises submissions. An indicator whose pattern ORs several values gives several entries;
 * an indicator whose pattern no sensor can use (an AND of several fields, a qualifier, a property
 * outside the hub's eight kinds, a value the hub would refuse) gives none.
 */
export interface FeedEntry {
  readonly indicatorId: string;
  /** The indicator version (`modified`), integer microseconds. */
  readonly version: number;
  readonly kind: IndicatorKind;
  /** Normalised as the hub normalises a submitted value of this kind. */
  readonly value: string;
  /** file-hash only. */
  readonly algorithm?: HashAlgorithm;
  readonly confidence?: number;
  /** The indicator's valid_until, as stored. */
  readonly validUntil?: string;
  readonly tlp: TlpLevel;
  /** Names of the campaigns the indicator is related to (as the reader may know them). */
  readonly campaigns: readonly string[];
}

type StixObject = Readonly<Record<string, unknown>>;

interface Candidate {
  readonly kind: IndicatorKind;
  readonly value: string;
  readonly algorithm?: HashAlgorithm;
}

function hubKindOf(indicator: StixObject): IndicatorKind | undefined {
  const extensions = indicator.extensions;
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const extension = (extensions as Record<string, unknown>)[HUB_EXTENSION_ID];
  if (typeof extension !== 'object' || extension === null) return undefined;
  const kind = (extension as Record<string, unknown>).kind;
  return isIndicatorKind(kind) ? kind : undefined;
}

function candidatesOf(object: CyboxObject): Candidate[] {
  switch (object.type) {
    case 'file-hash':
      return object.values.map((value) => ({ kind: 'file-hash', value, algorithm: object.algorithm }));
    case 'email-message': {
      // The fields of one message must all match: a sensor matching one field alone would match more.
      const [field, ...others] = object.fields;
      if (field === undefined || others.length > 0) return [];
      const [kind] = kindsOf(object);
      return kind === undefined ? [] : field.values.map((value) => ({ kind, value }));
    }
    default: {
      const [kind] = kindsOf(object);
      return kind === undefined ? [] : object.values.map((value) => ({ kind, value }));
    }
  }
}

function normalised(candidate: Candidate): Candidate | undefined {
  const checked = normaliseIndicator(candidate);
  if (!checked.ok) return undefined;
  const { kind, value, algorithm } = checked.indicator;
  return algorithm === undefined ? { kind, value } : { kind, value, algorithm };
}

function confidenceOf(indicator: StixObject): number | undefined {
  const { confidence } = indicator;
  return typeof confidence === 'number' && Number.isInteger(confidence) && confidence >= 0 && confidence <= 100 ? confidence : undefined;
}

/** The normalised values a pattern matches, each once, in pattern order (none when no sensor can use it). */
export type PatternValues = readonly Candidate[];

/** What a pattern (read with the hub extension's kind) gives a feed: the part of feedEntriesOf that costs. */
export function patternValues(pattern: string, hubKind: IndicatorKind | undefined): PatternValues {
  const objects = cyboxOfPattern(pattern, hubKind);
  if (!objects.ok) return [];
  const seen = new Set<string>();
  const values: Candidate[] = [];
  for (const candidate of objects.value.flatMap(candidatesOf)) {
    const found = normalised(candidate);
    if (found === undefined) continue;
    const key = `${found.kind}\u0000${found.algorithm ?? ''}\u0000${found.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    values.push(found);
  }
  return values;
}

/** Reads a pattern's values: patternValues, or a memo of it (createFeedEntryReader). */
export type PatternReader = (pattern: string, hubKind: IndicatorKind | undefined) => PatternValues;

/**
 * The feed entries of one stored STIX 2.1 indicator version: what its pattern matches, read as the
 * STIX 1.x bridge reads it (the hub extension's kind tells an e-mail sender IP from a C2 IP), each
 * value normalised. Whatever the indicator's state: the caller decides which are active.
 */
export function feedEntriesOf(indicator: StixObject, tlp: TlpLevel, campaigns: readonly string[] = [], readPattern: PatternReader = patternValues): FeedEntry[] {
  const { id, modified, pattern } = indicator;
  if (indicator.type !== 'indicator' || typeof id !== 'string' || typeof pattern !== 'string' || typeof modified !== 'string') return [];
  if (indicator.pattern_type !== undefined && indicator.pattern_type !== 'stix') return [];
  const version = parseMicros(modified);
  if (version === undefined) return [];
  const confidence = confidenceOf(indicator);
  const validUntil = typeof indicator.valid_until === 'string' ? indicator.valid_until : undefined;
  return readPattern(pattern, hubKindOf(indicator)).map((found) => ({
    indicatorId: id,
    version,
    ...found,
    ...(confidence === undefined ? {} : { confidence }),
    ...(validUntil === undefined ? {} : { validUntil }),
    tlp,
    campaigns: [...campaigns],
  }));
}

/**
 * feedEntriesOf with the last `capacity` patterns' values remembered (a pattern's values depend on
 * the pattern and the hub kind alone): the versions a kept feed was just brought up to date with are
 * the ones the next deltas name, and every sensor asking for the same delta reads the same patterns.
 */
export function createFeedEntryReader(capacity: number): typeof feedEntriesOf {
  const memo = new Map<string, PatternValues>();
  const read: PatternReader = (pattern, hubKind) => {
    const key = `${hubKind ?? ''}\u0000${pattern}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const values = patternValues(pattern, hubKind);
    if (memo.size >= capacity) memo.delete(memo.keys().next().value as string);
    memo.set(key, values);
    return values;
  };
  return (indicator, tlp, campaigns = []) => feedEntriesOf(indicator, tlp, campaigns, read);
}

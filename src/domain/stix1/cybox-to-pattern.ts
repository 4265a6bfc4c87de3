import { normaliseIndicator, type HashAlgorithm, type IndicatorKind, type NormalisedIndicator } from '../indicators';
import { KIND_OF_EMAIL_FIELD, type CyboxObject, type CyboxObservable, type EmailFieldValues, type Mapping } from './cybox-objects';

/**
 * CybOX objects of the hub's eight kinds as a STIX 2.1 pattern. Every value goes through the hub's
 * own normaliser (so a value the hub would refuse from a provider is refused here with the same
 * message) and every comparison is the one the hub writes for that kind; a list of values is an OR
 * of them, the fields of one e-mail message are ANDed, alternative objects are ORed observations.
 */

export interface PatternReading {
  readonly pattern: string;
  /** Present when every value is of one kind (and, for hashes, one algorithm): the hub treats it like a submitted indicator. */
  readonly hubKind?: { readonly kind: IndicatorKind; readonly algorithm?: HashAlgorithm; readonly values: readonly string[] };
}

const SENDER_IP_PATH = "email-message:additional_header_fields.'X-Originating-IP'";

function comparisonOf(indicator: NormalisedIndicator): string {
  return indicator.pattern.slice(1, -1);
}

function normalised(kind: IndicatorKind, values: readonly string[], algorithm?: HashAlgorithm): Mapping<NormalisedIndicator[]> {
  const found = new Map<string, NormalisedIndicator>();
  for (const value of values) {
    const result = normaliseIndicator({ kind, value, ...(algorithm === undefined ? {} : { algorithm }) });
    if (!result.ok) return { ok: false, reason: `the ${kind} ${result.field} ${JSON.stringify(value)} ${result.message}` };
    found.set(result.indicator.value, result.indicator);
  }
  return { ok: true, value: [...found.values()] };
}

interface Term {
  readonly kind: IndicatorKind;
  readonly algorithm?: HashAlgorithm;
  readonly indicators: readonly NormalisedIndicator[];
}

function disjunction(comparisons: readonly string[], grouped: boolean): string {
  return comparisons.length > 1 && grouped ? `(${comparisons.join(' OR ')})` : comparisons.join(' OR ');
}

function emailTerms(fields: readonly EmailFieldValues[]): Mapping<Term[]> {
  const terms: Term[] = [];
  for (const field of fields) {
    const kind = KIND_OF_EMAIL_FIELD[field.field];
    const found = normalised(kind, field.values);
    if (!found.ok) return found;
    terms.push({ kind, indicators: found.value });
  }
  return { ok: true, value: terms };
}

/** The terms of one object and its observation expression. */
function observationOf(object: CyboxObject, addressKind: IndicatorKind): Mapping<{ readonly terms: Term[]; readonly text: string }> {
  if (object.type === 'email-message') {
    const terms = emailTerms(object.fields);
    if (!terms.ok) return terms;
    const several = terms.value.length > 1;
    const parts = terms.value.map((term) => {
      const comparisons = term.indicators.map((i) => {
        const comparison = comparisonOf(i);
        // The hub writes a lone sender IP as an ipv4-addr/ipv6-addr comparison; beside other fields of the message it is a header field.
        return several && term.kind === 'email-sender-ip' ? comparison.replace(/^ipv[46]-addr:value/, SENDER_IP_PATH) : comparison;
      });
      return disjunction(comparisons, several);
    });
    return { ok: true, value: { terms: terms.value, text: `[${parts.join(' AND ')}]` } };
  }
  const kind: IndicatorKind = object.type === 'address' ? addressKind : object.type === 'domain-name' ? 'c2-hostname' : object.type;
  const algorithm = object.type === 'file-hash' ? object.algorithm : undefined;
  const found = normalised(kind, object.values, algorithm);
  if (!found.ok) return found;
  const term: Term = { kind, ...(algorithm === undefined ? {} : { algorithm }), indicators: found.value };
  return { ok: true, value: { terms: [term], text: `[${disjunction(found.value.map(comparisonOf), false)}]` } };
}

/**
 * The pattern for an observable. `addressKind` is what a bare IP address stands for: c2-ip, or
 * email-sender-ip when the STIX 1.x indicator is typed Malicious E-mail.
 */
export function patternOfObservable(observable: CyboxObservable, addressKind: 'c2-ip' | 'email-sender-ip'): Mapping<PatternReading> {
  const observations: string[] = [];
  const terms: Term[] = [];
  for (const object of observable) {
    const read = observationOf(object, addressKind);
    if (!read.ok) return read;
    observations.push(read.value.text);
    terms.push(...read.value.terms);
  }
  if (observations.length === 0) return { ok: false, reason: 'the observable has no object' };
  const pattern = [...new Set(observations)].join(' OR ');
  const kinds = new Set(terms.map((t) => t.kind));
  const algorithms = new Set(terms.map((t) => t.algorithm));
  const [kind] = kinds;
  const [algorithm] = algorithms;
  if (kinds.size !== 1 || algorithms.size !== 1 || kind === undefined) return { ok: true, value: { pattern } };
  const values = [...new Set(terms.flatMap((t) => t.indicators.map((i) => i.value)))];
  return { ok: true, value: { pattern, hubKind: { kind, ...(algorithm === undefined ? {} : { algorithm }), values } } };
}

import { isIPv6 } from 'node:net';
import type { FieldProblem } from '../domain/errors';
import { parseStixPattern } from '../domain/stix-pattern';
import { compareUtcTimestamps } from '../domain/timestamps';
import {
  idType, isDomainObjectType, isDomainOrObservableType, isObservableOrRelationshipType,
} from './stix-types';

/**
 * The STIX 2.1 rules a JSON Schema cannot express (or only with combinators whose errors nobody can read):
 * id prefix, timestamp order, the types that references point to, "one of these properties" rules, and
 * the syntax of STIX patterns (indicators whose pattern_type is stix).
 * Each rule reads defensively: a property of the wrong JSON type is the schema's problem, not reported twice.
 */

type StixRecord = Readonly<Record<string, unknown>>;

interface RefRule {
  readonly allowed: (type: string) => boolean;
  /** Says what the reference must point to, completing "must be the id of …". */
  readonly what: string;
}

const only = (...types: string[]): ((type: string) => boolean) => (type) => types.includes(type);
const article = (type: string): string => (/^[aeio]/.test(type) ? `an ${type}` : `a ${type}`);
const ofTypes = (...types: string[]): RefRule => ({ allowed: only(...types), what: types.map(article).join(' or ') });

const ANY_SDO: RefRule = { allowed: isDomainObjectType, what: 'an SDO' };
const ANY_SDO_OR_SCO: RefRule = { allowed: isDomainOrObservableType, what: 'an SDO or SCO' };
const ANY_SCO_OR_SRO: RefRule = { allowed: isObservableOrRelationshipType, what: 'an SCO or a relationship' };
const ANY_SCO: RefRule = { allowed: (t) => isObservableOrRelationshipType(t) && t !== 'relationship', what: 'an SCO' };
const EMAIL_ADDR = ofTypes('email-addr');

/** Reference properties (top level) by object type; `*` applies to every type. */
const REF_RULES: Readonly<Record<string, Readonly<Record<string, RefRule>>>> = {
  '*': { created_by_ref: ofTypes('identity') },
  relationship: { source_ref: ANY_SDO_OR_SCO, target_ref: ANY_SDO_OR_SCO },
  sighting: {
    sighting_of_ref: ANY_SDO,
    observed_data_refs: ofTypes('observed-data'),
    where_sighted_refs: ofTypes('identity', 'location'),
  },
  'observed-data': { object_refs: ANY_SCO_OR_SRO },
  malware: { operating_system_refs: ofTypes('software'), sample_refs: ofTypes('file', 'artifact') },
  'ipv4-addr': { resolves_to_refs: ofTypes('mac-addr'), belongs_to_refs: ofTypes('autonomous-system') },
  'ipv6-addr': { resolves_to_refs: ofTypes('mac-addr'), belongs_to_refs: ofTypes('autonomous-system') },
  'domain-name': { resolves_to_refs: ofTypes('ipv4-addr', 'ipv6-addr', 'domain-name') },
  'email-addr': { belongs_to_ref: ofTypes('user-account') },
  'email-message': {
    from_ref: EMAIL_ADDR, sender_ref: EMAIL_ADDR, to_refs: EMAIL_ADDR, cc_refs: EMAIL_ADDR, bcc_refs: EMAIL_ADDR,
    raw_email_ref: ofTypes('artifact'),
  },
  file: { parent_directory_ref: ofTypes('directory'), content_ref: ofTypes('artifact'), contains_refs: ANY_SCO },
};

/** Timestamp pairs whose order STIX 2.1 prescribes: [earlier, later, strictly later?]. */
const ORDER_RULES: Readonly<Record<string, readonly (readonly [string, string, boolean])[]>> = {
  '*': [['created', 'modified', false]],
  indicator: [['valid_from', 'valid_until', true]],
  relationship: [['start_time', 'stop_time', true]],
  sighting: [['first_seen', 'last_seen', false]],
  campaign: [['first_seen', 'last_seen', false]],
  malware: [['first_seen', 'last_seen', false]],
  'observed-data': [['first_observed', 'last_observed', false]],
};

const TLP1_LEVELS: readonly string[] = ['white', 'green', 'amber', 'red'];

export function stixRuleProblems(object: StixRecord): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const type = typeof object.type === 'string' ? object.type : undefined;
  if (type === undefined) return problems;

  if (typeof object.id === 'string' && !object.id.startsWith(`${type}--`)) {
    problems.push({ path: 'id', message: `must start with "${type}--" (the object's type)` });
  }
  for (const rules of [ORDER_RULES['*'], ORDER_RULES[type]]) {
    for (const [earlier, later, strict] of rules ?? []) checkOrder(object, earlier, later, strict, problems);
  }
  for (const rules of [REF_RULES['*'], REF_RULES[type]]) {
    for (const [property, rule] of Object.entries(rules ?? {})) checkRefs(object[property], property, rule, problems);
  }
  checkGranularMarkings(object.granular_markings, problems);
  TYPE_RULES[type]?.(object, problems);
  return problems;
}

function checkOrder(object: StixRecord, earlier: string, later: string, strict: boolean, problems: FieldProblem[]): void {
  const from = object[earlier];
  const to = object[later];
  if (typeof from !== 'string' || typeof to !== 'string') return;
  const order = compareUtcTimestamps(to, from);
  if (order === undefined) return;
  if (strict ? order <= 0 : order < 0) {
    problems.push({ path: later, message: strict ? `must be later than ${earlier}` : `must not be earlier than ${earlier}` });
  }
}

function checkRefs(value: unknown, path: string, rule: RefRule, problems: FieldProblem[]): void {
  if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => checkRefs(item, `${path}[${i}]`, rule, problems));
    return;
  }
  if (typeof value !== 'string') return;
  const type = idType(value);
  if (type !== undefined && !rule.allowed(type)) {
    problems.push({ path, message: `must be the id of ${rule.what}, not of ${article(type)}` });
  }
}

function checkGranularMarkings(value: unknown, problems: FieldProblem[]): void {
  if (!Array.isArray(value)) return;
  value.forEach((marking: unknown, i) => {
    if (!isRecord(marking)) return;
    const hasLang = marking.lang !== undefined;
    const hasRef = marking.marking_ref !== undefined;
    if (hasLang === hasRef) {
      problems.push({ path: `granular_markings[${i}]`, message: 'must have exactly one of lang and marking_ref' });
    }
  });
}

type TypeRule = (object: StixRecord, problems: FieldProblem[]) => void;

const TYPE_RULES: Readonly<Record<string, TypeRule>> = {
  indicator: (object, problems) => {
    // Other pattern languages (snort, yara, sigma, …) are stored as posted; an empty pattern is the schema's problem.
    if (object.pattern_type !== 'stix' || typeof object.pattern !== 'string' || object.pattern === '') return;
    const parsed = parseStixPattern(object.pattern);
    if (!parsed.ok) {
      problems.push({ path: 'pattern', message: `is not a valid STIX pattern: at position ${parsed.error.position}, ${parsed.error.message}` });
    }
  },
  'marking-definition': (object, problems) => {
    const hasType = object.definition_type !== undefined;
    const hasDefinition = object.definition !== undefined;
    if (hasType && !hasDefinition) problems.push({ path: 'definition', message: 'is required when definition_type is present' });
    if (hasDefinition && !hasType) problems.push({ path: 'definition_type', message: 'is required when definition is present' });
    if (!hasType && !hasDefinition && object.extensions === undefined) {
      problems.push({ path: 'definition_type', message: 'is required unless an extension (such as TLP 2.0) defines the marking' });
    }
    const definition = object.definition;
    if (!isRecord(definition)) return;
    if (object.definition_type === 'tlp' && !(typeof definition.tlp === 'string' && TLP1_LEVELS.includes(definition.tlp))) {
      problems.push({ path: 'definition.tlp', message: 'must be one of "white", "green", "amber", "red"' });
    }
    if (object.definition_type === 'statement' && !(typeof definition.statement === 'string' && definition.statement !== '')) {
      problems.push({ path: 'definition.statement', message: 'is required and must be a non-empty string' });
    }
  },
  'observed-data': (object, problems) => {
    const hasRefs = object.object_refs !== undefined;
    const hasObjects = object.objects !== undefined;
    if (hasRefs && hasObjects) problems.push({ path: 'objects', message: 'must be absent when object_refs is present (objects is deprecated)' });
    if (!hasRefs && !hasObjects) problems.push({ path: 'object_refs', message: 'is required' });
  },
  malware: (object, problems) => {
    if (object.is_family === true && object.name === undefined) {
      problems.push({ path: 'name', message: 'is required when is_family is true' });
    }
  },
  file: (object, problems) => {
    if (object.hashes === undefined && object.name === undefined) {
      problems.push({ path: 'hashes', message: 'is required when name is absent (a file needs hashes or a name)' });
    }
  },
  'email-message': (object, problems) => {
    if (object.is_multipart === true && object.body !== undefined) {
      problems.push({ path: 'body', message: 'must be absent when is_multipart is true (use body_multipart)' });
    }
    if (object.is_multipart === false && object.body_multipart !== undefined) {
      problems.push({ path: 'body_multipart', message: 'must be absent when is_multipart is false (use body)' });
    }
    const parts = object.body_multipart;
    if (Array.isArray(parts)) {
      const rule = ofTypes('artifact', 'file');
      parts.forEach((part: unknown, i) => {
        if (isRecord(part)) checkRefs(part.body_raw_ref, `body_multipart[${i}].body_raw_ref`, rule, problems);
      });
    }
  },
  'ipv6-addr': (object, problems) => {
    const value = object.value;
    if (typeof value !== 'string') return;
    const slash = value.indexOf('/');
    if (!isIPv6(slash < 0 ? value : value.slice(0, slash))) {
      problems.push({ path: 'value', message: 'must be an IPv6 address or CIDR block such as 2001:db8::1 or 2001:db8::/32' });
    }
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

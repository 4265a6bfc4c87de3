import type { IndicatorKind } from '../indicators';
import { parseStixPattern, type ComparisonExpression, type ObjectPath, type ObservationExpression } from '../stix-pattern';
import { CYBOX_LIST_DELIMITER, type CyboxObject, type CyboxObservable, type EmailField, type EmailFieldValues, type Mapping } from './cybox-objects';
import { algorithmOfHashName } from './stix1-vocabularies';

/**
 * Reads a STIX 2.1 pattern as CybOX objects of the hub's eight kinds. Only what STIX 1.x says just as
 * well is read: equality (and `IN`, and `ISSUBSET` for an IP network) on the eight kinds' properties,
 * `OR` of them, and `AND` of the fields of one e-mail message. Everything else is refused with the
 * reason, never approximated.
 */

type Field =
  | { readonly object: 'address' | 'domain-name' | 'url' }
  | { readonly object: 'file-hash'; readonly algorithm: NonNullable<ReturnType<typeof algorithmOfHashName>> }
  | { readonly object: 'email-message'; readonly field: EmailField };

interface Leaf {
  readonly field: Field;
  readonly values: readonly string[];
}

type Comparison = Extract<ComparisonExpression, { kind: 'comparison' }>;

function refuse<T>(reason: string): Mapping<T> {
  return { ok: false, reason };
}

function pathText(path: ObjectPath): string {
  let text = `${path.objectType}:`;
  path.steps.forEach((step, i) => {
    if (step.kind === 'property') text += `${i === 0 ? '' : '.'}${/^[a-z_][a-z0-9_]*$/i.test(step.name) ? step.name : `'${step.name}'`}`;
    else text += step.kind === 'index' ? `[${step.index}]` : '[*]';
  });
  return text;
}

function stepNames(path: ObjectPath): string[] {
  return path.steps.map((s) => (s.kind === 'property' ? s.name : s.kind === 'any-index' ? '[*]' : `[${s.index}]`));
}

function fieldOfPath(path: ObjectPath, hubKind: IndicatorKind | undefined): Mapping<Field> {
  const steps = stepNames(path);
  const only = (...names: string[]): boolean => steps.length === names.length && names.every((n, i) => steps[i] === n);
  const notAKind = refuse<Field>(`the pattern compares ${pathText(path)}, which is not one of the hub's eight indicator kinds`);
  switch (path.objectType) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      if (!only('value')) return notAKind;
      return { ok: true, value: hubKind === 'email-sender-ip' ? { object: 'email-message', field: 'sender-ip' } : { object: 'address' } };
    case 'domain-name':
    case 'url':
      return only('value') ? { ok: true, value: { object: path.objectType } } : notAKind;
    case 'file': {
      if (steps.length !== 2 || steps[0] !== 'hashes') return notAKind;
      const algorithm = algorithmOfHashName(steps[1] ?? '');
      if (algorithm === undefined) return refuse(`the pattern compares ${pathText(path)}: the hub maps only MD5, SHA-1, SHA-256, SHA-512, SHA3-256 and SHA3-512 hashes`);
      return { ok: true, value: { object: 'file-hash', algorithm } };
    }
    case 'email-message':
      if (only('from_ref', 'value')) return { ok: true, value: { object: 'email-message', field: 'from' } };
      if (only('subject')) return { ok: true, value: { object: 'email-message', field: 'subject' } };
      if (only('body_multipart', '[*]', 'body_raw_ref', 'name')) return { ok: true, value: { object: 'email-message', field: 'attachment-name' } };
      if (steps.length === 2 && steps[0] === 'additional_header_fields' && steps[1]?.toLowerCase() === 'x-originating-ip') {
        return { ok: true, value: { object: 'email-message', field: 'sender-ip' } };
      }
      return notAKind;
    default:
      return notAKind;
  }
}

function valuesOf(comparison: Comparison, field: Field): Mapping<string[]> {
  const where = `${pathText(comparison.path)} ${comparison.negated ? 'NOT ' : ''}${comparison.operator}`;
  if (comparison.negated) return refuse(`the pattern has ${where}: a negated comparison has no STIX 1.x equivalent the hub writes`);
  const { operator, value } = comparison;
  let values: string[] | undefined;
  if (operator === '=' && value.type === 'string') values = [value.value];
  const isIp = field.object === 'address' || (field.object === 'email-message' && field.field === 'sender-ip');
  if (operator === 'ISSUBSET' && isIp && value.type === 'string') values = [value.value];
  if (operator === 'IN' && value.type === 'set' && value.values.every((v) => v.type === 'string')) values = value.values.map((v) => String(v.value));
  if (values === undefined) return refuse(`the pattern has ${where} ${value.type === 'set' ? 'a set' : `a ${value.type}`}: only equality with text maps to STIX 1.x`);
  const clash = values.find((v) => v.includes(CYBOX_LIST_DELIMITER));
  if (clash !== undefined) return refuse(`the value ${JSON.stringify(clash)} contains ${CYBOX_LIST_DELIMITER}, the CybOX list separator`);
  return { ok: true, value: values };
}

function leafOf(comparison: ComparisonExpression, hubKind: IndicatorKind | undefined): Mapping<Leaf> {
  if (comparison.kind === 'exists') return refuse(`the pattern has EXISTS ${pathText(comparison.path)}, which has no STIX 1.x equivalent`);
  if (comparison.kind === 'boolean') return refuse('internal: not a single comparison');
  const field = fieldOfPath(comparison.path, hubKind);
  if (!field.ok) return field;
  const values = valuesOf(comparison, field.value);
  return values.ok ? { ok: true, value: { field: field.value, values: values.value } } : values;
}

/** The operands of a chain of `operator`, left to right; iterative, as a pattern may chain thousands. */
function flatten(expression: ComparisonExpression, operator: 'AND' | 'OR'): ComparisonExpression[] {
  const operands: ComparisonExpression[] = [];
  const pending: ComparisonExpression[] = [expression];
  while (pending.length > 0) {
    const next = pending.pop() as ComparisonExpression;
    if (next.kind === 'boolean' && next.operator === operator) pending.push(next.right, next.left);
    else operands.push(next);
  }
  return operands;
}

function fieldKey(field: Field): string {
  if (field.object === 'file-hash') return `file-hash:${field.algorithm}`;
  return field.object === 'email-message' ? `email:${field.field}` : field.object;
}

/** OR-ed comparisons: leaves grouped by field, in order of first appearance. */
function leavesOfDisjunction(expression: ComparisonExpression, hubKind: IndicatorKind | undefined): Mapping<Leaf[]> {
  const grouped = new Map<string, Leaf>();
  for (const part of flatten(expression, 'OR')) {
    const leaf = leafOf(part, hubKind);
    if (!leaf.ok) return leaf;
    const key = fieldKey(leaf.value.field);
    const before = grouped.get(key);
    grouped.set(key, before === undefined ? leaf.value : { field: before.field, values: [...before.values, ...leaf.value.values] });
  }
  return { ok: true, value: [...grouped.values()] };
}

function objectOfLeaf(leaf: Leaf): CyboxObject {
  const { field, values } = leaf;
  const unique = [...new Set(values)];
  switch (field.object) {
    case 'file-hash':
      return { type: 'file-hash', algorithm: field.algorithm, values: unique };
    case 'email-message':
      return { type: 'email-message', fields: [{ field: field.field, values: unique }] };
    default:
      return { type: field.object, values: unique };
  }
}

/** `[a AND b AND (c OR c')]`: the fields of one e-mail message, each field once. */
function emailOfConjunction(expression: ComparisonExpression, hubKind: IndicatorKind | undefined): Mapping<CyboxObject> {
  const fields: EmailFieldValues[] = [];
  for (const part of flatten(expression, 'AND')) {
    const leaves = leavesOfDisjunction(part, hubKind);
    if (!leaves.ok) return leaves;
    const [leaf, ...others] = leaves.value;
    if (leaf === undefined || others.length > 0 || leaf.field.object !== 'email-message') {
      return refuse('the pattern ANDs comparisons that are not fields of one e-mail message (only those map to one CybOX object)');
    }
    const { field } = leaf.field;
    if (fields.some((f) => f.field === field)) return refuse(`the pattern ANDs two comparisons of the e-mail ${field}, which one CybOX field cannot say`);
    fields.push({ field, values: [...new Set(leaf.values)] });
  }
  return { ok: true, value: { type: 'email-message', fields } };
}

function objectsOfObservation(expression: ComparisonExpression, hubKind: IndicatorKind | undefined): Mapping<CyboxObject[]> {
  const objects: CyboxObject[] = [];
  const leaves: ComparisonExpression[] = [];
  for (const part of flatten(expression, 'OR')) {
    if (part.kind === 'boolean' && part.operator === 'AND') {
      const email = emailOfConjunction(part, hubKind);
      if (!email.ok) return email;
      objects.push(email.value);
    } else leaves.push(part);
  }
  if (leaves.length > 0) {
    const grouped = leavesOfDisjunction(leaves.reduce((left, right) => ({ kind: 'boolean', position: 0, operator: 'OR', left, right })), hubKind);
    if (!grouped.ok) return grouped;
    objects.unshift(...grouped.value.map(objectOfLeaf));
  }
  return { ok: true, value: objects };
}

const QUALIFIER_NAMES = { within: 'WITHIN', repeats: 'REPEATS', 'start-stop': 'START/STOP' } as const;

/** The observations OR-ed together, left to right (iterative: thousands may be chained). */
function observations(expression: ObservationExpression): Mapping<ComparisonExpression[]> {
  const found: ComparisonExpression[] = [];
  const pending: ObservationExpression[] = [expression];
  while (pending.length > 0) {
    const next = pending.pop() as ObservationExpression;
    switch (next.kind) {
      case 'observation':
        found.push(next.comparison);
        break;
      case 'qualified':
        return refuse(`the pattern has a ${QUALIFIER_NAMES[next.qualifier.kind]} qualifier, which STIX 1.x indicators cannot say`);
      case 'observation-operator':
        if (next.operator === 'FOLLOWEDBY') return refuse('the pattern has FOLLOWEDBY, which STIX 1.x indicators cannot say');
        if (next.operator === 'AND') return refuse('the pattern ANDs two observations, which has no faithful STIX 1.x equivalent');
        pending.push(next.right, next.left);
        break;
    }
  }
  return { ok: true, value: found };
}

/**
 * The CybOX objects a STIX 2.1 pattern stands for. `hubKind` is the kind the hub extension names:
 * the hub writes an e-mail sender IP as `[ipv4-addr:value = …]`, which only the kind tells apart from a C2 IP.
 */
export function cyboxOfPattern(pattern: string, hubKind: IndicatorKind | undefined): Mapping<CyboxObservable> {
  const parsed = parseStixPattern(pattern);
  if (!parsed.ok) return refuse(`the pattern is not a valid STIX pattern: at position ${parsed.error.position}, ${parsed.error.message}`);
  const found = observations(parsed.ast);
  if (!found.ok) return found;
  const objects: CyboxObject[] = [];
  for (const observation of found.value) {
    const mapped = objectsOfObservation(observation, hubKind);
    if (!mapped.ok) return mapped;
    objects.push(...mapped.value);
  }
  return { ok: true, value: objects };
}

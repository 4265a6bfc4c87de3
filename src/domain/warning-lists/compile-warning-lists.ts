import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import type { PathSegment } from '../field-path';
import type { IndicatorKind } from '../indicators';
import { checkedSubject, type CheckedSubject } from './checked-subject';
import { findDomain, listedDomain, type ListedDomain } from './domain-list';
import { digestOf, listedHash, type ListedHash } from './hash-list';
import { bySpecificity, listedRange, mappedIpv4, rangeRelation, type ListedRange } from './ip-range-list';
import { KINDS_OF_TYPE, type WarningListDefinition, type WarningListEntry } from './warning-list-definition';
import type { WarningHit, WarningLists } from './warning-lists';

/** One thing wrong with a list: which list (its index in the input) and where in it. */
export interface WarningListProblem {
  readonly list: number;
  readonly segments: readonly PathSegment[];
  readonly message: string;
}

export type WarningListsCompilation = { readonly ok: true; readonly lists: WarningLists } | { readonly ok: false; readonly problems: readonly WarningListProblem[] };

/** A list ready to check: its entries indexed for its type. */
type CompiledList =
  | { readonly id: string; readonly kinds: ReadonlySet<IndicatorKind>; readonly type: 'ip-ranges'; readonly v4: readonly ListedRange[]; readonly v6: readonly ListedRange[] }
  | { readonly id: string; readonly kinds: ReadonlySet<IndicatorKind>; readonly type: 'domains'; readonly subdomains: boolean; readonly names: ReadonlyMap<string, ListedDomain> }
  | { readonly id: string; readonly kinds: ReadonlySet<IndicatorKind>; readonly type: 'hashes'; readonly digests: ReadonlyMap<string, ListedHash> };

function entryParts(entry: WarningListEntry, listReason: string): { value: string; reason: string; algorithm?: string } {
  if (typeof entry === 'string') return { value: entry, reason: listReason };
  return { value: entry.value, reason: entry.reason ?? listReason, ...(entry.algorithm !== undefined ? { algorithm: entry.algorithm } : {}) };
}

function compileList(definition: WarningListDefinition, report: (segments: PathSegment[], message: string) => void): CompiledList {
  const { id, type } = definition;
  const allowed = KINDS_OF_TYPE[type];
  definition.kinds.forEach((kind, index) => {
    if (!allowed.includes(kind)) report(['kinds', index], `a list of type ${type} cannot apply to kind ${kind}; it applies to ${allowed.join(', ')}`);
  });
  const kinds = new Set(definition.kinds);
  const entries = definition.entries.map((entry) => entryParts(entry, definition.reason));
  const at = (index: number): PathSegment[] => (typeof definition.entries[index] === 'string' ? ['entries', index] : ['entries', index, 'value']);
  switch (type) {
    case 'ip-ranges': {
      const ranges: ListedRange[] = [];
      entries.forEach((entry, index) => {
        const listed = listedRange(entry.value, entry.reason);
        if (listed.ok) ranges.push(listed.range);
        else report(at(index), listed.message);
      });
      ranges.sort(bySpecificity);
      return { id, kinds, type, v4: ranges.filter((r) => r.interval.version === 4), v6: ranges.filter((r) => r.interval.version === 6) };
    }
    case 'domains': {
      const names = new Map<string, ListedDomain>();
      entries.forEach((entry, index) => {
        const listed = listedDomain(entry.value, entry.reason);
        if (listed.ok) names.set(listed.domain.name, listed.domain);
        else report(at(index), listed.message);
      });
      return { id, kinds, type, subdomains: definition.match === 'subdomains', names };
    }
    case 'hashes': {
      const digests = new Map<string, ListedHash>();
      entries.forEach((entry, index) => {
        const listed = listedHash(entry.value, entry.reason, entry.algorithm);
        if (listed.ok) digests.set(listed.hash.digest, listed.hash);
        else report(at(index), listed.message);
      });
      return { id, kinds, type, digests };
    }
  }
}

function rangeHit(list: CompiledList & { type: 'ip-ranges' }, subject: CheckedSubject & { type: 'address' }): WarningHit | undefined {
  const mapped = mappedIpv4(subject.interval);
  const interval = mapped ?? subject.interval;
  for (const range of interval.version === 4 ? list.v4 : list.v6) {
    const relation = rangeRelation(interval, range.interval);
    if (relation === undefined) continue;
    const reason =
      relation === 'equal' && mapped === undefined
        ? `${subject.shown} is ${range.reason}`
        : relation === 'contains'
          ? `${subject.shown} contains ${range.text}, ${range.reason}`
          : `${subject.shown} is in ${range.text}, ${range.reason}`;
    return { list: list.id, reason };
  }
  return undefined;
}

function listHit(list: CompiledList, subject: CheckedSubject): WarningHit | undefined {
  if (list.type === 'ip-ranges') return subject.type === 'address' ? rangeHit(list, subject) : undefined;
  if (list.type === 'domains') {
    if (subject.type !== 'domain') return undefined;
    const found = findDomain(list.names, subject.name, list.subdomains);
    if (found === undefined) return undefined;
    const { name, reason } = found.domain;
    return { list: list.id, reason: found.relation === 'equal' ? `${subject.shown} is ${reason}` : `${subject.shown} is under ${name}, ${reason}` };
  }
  if (subject.type !== 'digest') return undefined;
  const hash = list.digests.get(subject.digest);
  return hash === undefined ? undefined : { list: list.id, reason: `${subject.shown} is ${hash.reason}` };
}

/**
 * Compiles list definitions (already checked against schemas/warning-list.schema.json) in order:
 * the first list a value is on is the hit reported. Every bad entry is reported, with its place.
 */
export function compileWarningLists(definitions: readonly WarningListDefinition[]): WarningListsCompilation {
  const problems: WarningListProblem[] = [];
  const seen = new Map<string, number>();
  const compiled = definitions.map((definition, list) => {
    const earlier = seen.get(definition.id);
    if (earlier !== undefined) problems.push({ list, segments: ['id'], message: `'${definition.id}' is the id of another list (number ${earlier + 1}); list ids are unique` });
    seen.set(definition.id, list);
    return compileList(definition, (segments, message) => problems.push({ list, segments, message }));
  });
  if (problems.length > 0) return { ok: false, problems };
  const byKind = new Map<IndicatorKind, CompiledList[]>();
  for (const list of compiled) for (const kind of list.kinds) byKind.set(kind, [...(byKind.get(kind) ?? []), list]);
  const version = createHash('sha256').update(canonicalJson(definitions)).digest('hex').slice(0, 16);
  return {
    ok: true,
    lists: {
      version,
      check(kind, value) {
        const lists = byKind.get(kind);
        if (lists === undefined || typeof value !== 'string') return undefined;
        const subject = checkedSubject(kind, value, digestOf);
        if (subject === undefined) return undefined;
        for (const list of lists) {
          const hit = listHit(list, subject);
          if (hit !== undefined) return hit;
        }
        return undefined;
      },
    },
  };
}

import { hubError, type HubError } from '../../domain/errors';
import { MAX_PAGE_LIMIT, type ObjectQueryParameters, type VersionMatch } from '../../domain/object-filters';
import { parseMicros } from '../../domain/timestamps';

/**
 * TAXII 2.1 URL parameters (§3.4), read from the raw query string with URLSearchParams: a query
 * parser would turn `match[type]=a` into a nested object and repeats into arrays. Percent-encoded
 * brackets and commas (`match%5Btype%5D=a%2Cb`) decode to the same thing.
 *
 * - Each endpoint takes its own parameters (§5.3-§5.8); others, and unknown ones, are ignored.
 * - A TAXII parameter (match[...], added_after, limit, next) given twice is a 400 (§3.4.1: "each
 *   field MUST NOT occur more than once"), as is a malformed value of a parameter the endpoint takes.
 * - Comma lists are a union; stray spaces around values are tolerated.
 */

export type ParameterEndpoint = 'objects' | 'object' | 'versions' | 'manifest' | 'delete';

type Parameter = 'added_after' | 'limit' | 'next' | 'match[id]' | 'match[type]' | 'match[version]' | 'match[spec_version]';

const PAGING: readonly Parameter[] = ['added_after', 'limit', 'next'];

/** Per endpoint, the parameters it takes (checklist F11). */
const ALLOWED: Readonly<Record<ParameterEndpoint, readonly Parameter[]>> = {
  objects: [...PAGING, 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'],
  manifest: [...PAGING, 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'],
  object: [...PAGING, 'match[version]', 'match[spec_version]'],
  versions: [...PAGING, 'match[spec_version]'],
  delete: ['match[version]', 'match[spec_version]'],
};

/** The query string of a request URL (`req.originalUrl`), without the '?'. */
export function rawQueryOf(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}

/** Parses and validates the parameters `endpoint` takes; throws BAD_REQUEST naming the parameter at fault. */
export function parseObjectQuery(rawQuery: string, endpoint: ParameterEndpoint): ObjectQueryParameters {
  const given = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    if (isTaxiiParameter(name) && given.has(name)) throw badParameter(name, 'must not occur more than once in a request');
    given.set(name, value);
  }
  const allowed = ALLOWED[endpoint];
  const value = (name: Parameter): string | undefined => (allowed.includes(name) ? given.get(name) : undefined);

  const addedAfter = value('added_after');
  const limit = value('limit');
  const next = value('next');
  const ids = value('match[id]');
  const types = value('match[type]');
  const versions = value('match[version]');
  const specVersions = value('match[spec_version]');
  return {
    ...(addedAfter !== undefined ? { addedAfter: parseTimestamp('added_after', addedAfter.trim()) } : {}),
    ...(limit !== undefined ? { limit: parseLimit(limit.trim()) } : {}),
    ...(next !== undefined ? { next: parseNext(next) } : {}),
    ...(ids !== undefined ? { ids: list('match[id]', ids) } : {}),
    ...(types !== undefined ? { types: list('match[type]', types) } : {}),
    ...(versions !== undefined ? { versions: parseVersions(versions) } : {}),
    ...(specVersions !== undefined ? { specVersions: list('match[spec_version]', specVersions, (v) => /^\d+\.\d+$/.test(v)) } : {}),
  };
}

function isTaxiiParameter(name: string): boolean {
  return (PAGING as readonly string[]).includes(name) || (name.startsWith('match[') && name.endsWith(']'));
}

function badParameter(name: string, problem: string): HubError {
  return hubError('BAD_REQUEST', { description: `The URL parameter ${name} ${problem}`, problems: [{ path: name, message: problem }] });
}

function parseTimestamp(name: string, text: string): number {
  // An offset's '+' sent unencoded arrives as a space (form encoding); a timestamp has no other space.
  const micros = parseMicros(text.replace(' ', '+'));
  if (micros === undefined) throw badParameter(name, `must be a timestamp such as 2026-01-31T12:00:00.000000Z, not "${text}"`);
  return micros;
}

/** §3.4: a positive integer; above the server's maximum it is clamped to the maximum. */
function parseLimit(text: string): number {
  if (!/^\d+$/.test(text) || /^0+$/.test(text)) throw badParameter('limit', `must be a positive integer, not "${text}"`);
  const limit = Number(text);
  return limit > MAX_PAGE_LIMIT ? MAX_PAGE_LIMIT : limit;
}

function parseNext(text: string): string {
  if (text.length === 0) throw badParameter('next', 'must not be empty');
  return text;
}

/** A comma list: trimmed, deduplicated and sorted, so equal filters compare equal; no empty members. */
function list(name: string, text: string, valid: (value: string) => boolean = () => true): string[] {
  const values = text.split(',').map((v) => v.trim());
  for (const v of values) {
    if (v === '') throw badParameter(name, 'has an empty value');
    // PostgreSQL text cannot hold U+0000, so no id, type or version contains it
    if (v.includes('\u0000')) throw badParameter(name, 'has a value containing U+0000');
    if (!valid(v)) throw badParameter(name, `has an invalid value "${v}"`);
  }
  return [...new Set(values)].sort();
}

/** match[version]: first, last, all or timestamps, as a union; `all` swallows the rest. */
function parseVersions(text: string): VersionMatch {
  let all = false;
  let first = false;
  let last = false;
  const at = new Set<number>();
  for (const value of list('match[version]', text)) {
    if (value === 'all') all = true;
    else if (value === 'first') first = true;
    else if (value === 'last') last = true;
    else at.add(parseTimestamp('match[version]', value));
  }
  return all ? { kind: 'all' } : { kind: 'some', first, last, at: [...at].sort((a, b) => a - b) };
}

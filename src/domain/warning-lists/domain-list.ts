import { normaliseHostName } from '../indicators/host-name';

/**
 * Domain lists: names compared label-aligned, never as text suffixes, so `evilgoogle.com` is not
 * `google.com`. An `exact` list warns for the listed names only; a `subdomains` list warns for a
 * listed name and every name below it.
 */

export interface ListedDomain {
  readonly name: string;
  readonly reason: string;
}

export type DomainRelation = 'equal' | 'below';

/**
 * A list entry, normalised by the hub's host-name parser (lower case, punycode). A single label
 * (a top-level domain such as `test`) is accepted: the parser wants a domain, so it reads it as the
 * domain of a name below it.
 */
export function listedDomain(text: string, reason: string): { ok: true; domain: ListedDomain } | { ok: false; message: string } {
  const trimmed = text.trim();
  const whole = normaliseHostName(trimmed);
  if (whole.ok) return { ok: true, domain: { name: whole.value, reason } };
  if (!trimmed.includes('.') && whole.reason === 'invalid') {
    const below = normaliseHostName(`label.${trimmed}`);
    if (below.ok) return { ok: true, domain: { name: below.value.slice('label.'.length), reason } };
  }
  return { ok: false, message: whole.message };
}

/** The listed name `host` is or is below (most specific first), with how; undefined when none. */
export function findDomain(
  names: ReadonlyMap<string, ListedDomain>,
  host: string,
  subdomains: boolean,
): { readonly domain: ListedDomain; readonly relation: DomainRelation } | undefined {
  const name = host.endsWith('.') ? host.slice(0, -1).toLowerCase() : host.toLowerCase();
  const exact = names.get(name);
  if (exact !== undefined) return { domain: exact, relation: 'equal' };
  if (!subdomains) return undefined;
  for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
    const parent = names.get(name.slice(dot + 1));
    if (parent !== undefined) return { domain: parent, relation: 'below' };
  }
  return undefined;
}

import { cidrContains, nonPublicClass, parseCidr, parseIp, type CidrRange, type IpAddress } from './address-ranges';

/**
 * An organization's delivery allow-list: where the hub may push for it. Entries are
 * - a host name (`feeds.example.org`), matching that name exactly (case-insensitive);
 * - a wildcard (`*.example.org`), matching any name below example.org (not example.org itself);
 * - a CIDR (`203.0.113.0/24`, `2001:db8::/48`) or a single address (`198.51.100.7`).
 * A delivery address passes when its host matches an entry, and then every address the host
 * resolves to is checked: an address inside an allow-listed CIDR is fine; otherwise it must be a
 * public address (a host allow-listed by name never reaches loopback, private or link-local space,
 * whatever its DNS says).
 */

export type AllowListEntry =
  | { readonly kind: 'host'; readonly name: string }
  | { readonly kind: 'wildcard'; readonly suffix: string }
  | { readonly kind: 'cidr'; readonly range: CidrRange; readonly text: string };

export interface AllowList {
  readonly entries: readonly AllowListEntry[];
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function hostNameOk(name: string): boolean {
  return name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}

/** One entry, or why it is not one (for config validation and the admin API). */
export function parseAllowListEntry(text: string): { ok: true; entry: AllowListEntry } | { ok: false; message: string } {
  const value = text.trim().toLowerCase();
  if (/^[0-9a-f:.[\]]+(\/\d+)?$/.test(value) && (value.includes(':') || /^[\d.]+(\/\d+)?$/.test(value))) {
    const range = parseCidr(value);
    return range ? { ok: true, entry: { kind: 'cidr', range, text: value } } : { ok: false, message: `'${text}' is not a valid IP address or CIDR` };
  }
  if (value.startsWith('*.')) {
    const suffix = value.slice(2);
    return hostNameOk(suffix) && suffix.includes('.')
      ? { ok: true, entry: { kind: 'wildcard', suffix } }
      : { ok: false, message: `'${text}' is not a valid wildcard: write *. followed by a domain with at least two labels, e.g. *.example.org` };
  }
  return hostNameOk(value) ? { ok: true, entry: { kind: 'host', name: value } } : { ok: false, message: `'${text}' is neither a host name, a *.domain wildcard nor a CIDR` };
}

/** The allow-list of stored entries; entries that do not parse (none should) are left out. */
export function compileAllowList(entries: readonly string[] | undefined): AllowList {
  const parsed: AllowListEntry[] = [];
  for (const text of entries ?? []) {
    const result = parseAllowListEntry(text);
    if (result.ok) parsed.push(result.entry);
  }
  return { entries: parsed };
}

/** Whether the address's host is allow-listed at all (by name, wildcard, or an IP literal inside a CIDR). */
export function hostAllowed(list: AllowList, host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  const literal = parseIp(name);
  if (literal) return list.entries.some((e) => e.kind === 'cidr' && cidrContains(e.range, literal));
  return list.entries.some((e) => (e.kind === 'host' && e.name === name) || (e.kind === 'wildcard' && name.endsWith(`.${e.suffix}`)));
}

export type AddressVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** Whether the hub may connect to `ip`, resolved from an allow-listed host. */
export function addressAllowed(list: AllowList, ip: IpAddress, shown: string): AddressVerdict {
  if (list.entries.some((e) => e.kind === 'cidr' && cidrContains(e.range, ip))) return { allowed: true };
  const kind = nonPublicClass(ip);
  if (kind === undefined) return { allowed: true };
  return { allowed: false, reason: `resolves to ${shown}, a ${kind} address, which no CIDR of the organization's delivery allow-list covers` };
}

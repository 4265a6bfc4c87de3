import { normaliseIpAddress } from '../indicators/ip-address';
import { ipv4Network, parseIpv4 } from '../indicators/ipv4-address';
import { ipv6Network, parseIpv6, type Ipv6Groups } from '../indicators/ipv6-address';

/**
 * Address ranges as intervals, read with the hub's own IP parsers: IPv4 as 32-bit numbers, IPv6 as
 * eight 16-bit groups compared in order (no bigints: a feed checks a million values). An indicator
 * hits a range when the two overlap: an address inside it, a network inside it, or a network
 * containing it (blocking 8.0.0.0/7 blocks 8.8.8.8 too). CIDR networks either nest or are
 * disjoint, so an overlap is always one of these.
 */

export type AddressInterval =
  | { readonly version: 4; readonly first: number; readonly last: number; readonly prefix: number }
  | { readonly version: 6; readonly first: Ipv6Groups; readonly last: Ipv6Groups; readonly prefix: number };

/** A listed range: its interval, its canonical text and why it matters. */
export interface ListedRange {
  readonly interval: AddressInterval;
  readonly text: string;
  readonly reason: string;
}

export type RangeRelation = 'equal' | 'inside' | 'contains';

const PREFIX = /^[0-9]{1,3}$/;

function prefixLength(text: string | undefined, bits: number): number | undefined {
  if (text === undefined) return bits;
  if (!PREFIX.test(text)) return undefined;
  const prefix = Number(text);
  return prefix <= bits ? prefix : undefined;
}

/** The last address of a network: every bit after the prefix set. */
function lastOfNetwork(first: Ipv6Groups, prefix: number): Ipv6Groups {
  return first.map((group, index) => {
    const bitsInGroup = Math.min(16, Math.max(0, prefix - index * 16));
    return group | (0xffff >> bitsInGroup);
  });
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
function compareGroups(a: Ipv6Groups, b: Ipv6Groups): number {
  for (let i = 0; i < 8; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}

/** The interval of `address/prefix` (or of one address); undefined when not an address. */
export function addressInterval(text: string): AddressInterval | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (address.includes(':')) {
    const groups = parseIpv6(address);
    const prefix = prefixLength(prefixText, 128);
    if (!groups.ok || prefix === undefined) return undefined;
    const first = ipv6Network(groups.value, prefix);
    return { version: 6, first, last: lastOfNetwork(first, prefix), prefix };
  }
  const v4 = parseIpv4(address);
  const prefix = prefixLength(prefixText, 32);
  if (!v4.ok || prefix === undefined) return undefined;
  const first = ipv4Network(v4.value, prefix);
  return { version: 4, first, last: first + 2 ** (32 - prefix) - 1, prefix };
}

/** An IPv6 interval inside ::ffff:0:0/96 (IPv4-mapped) as the IPv4 interval it stands for. */
export function mappedIpv4(interval: AddressInterval): AddressInterval | undefined {
  if (interval.version !== 6 || interval.prefix < 96) return undefined;
  const { first, last } = interval;
  if (first.slice(0, 5).some((group) => group !== 0) || first[5] !== 0xffff) return undefined;
  const v4 = (groups: Ipv6Groups) => (groups[6] ?? 0) * 0x10000 + (groups[7] ?? 0);
  return { version: 4, first: v4(first), last: v4(last), prefix: interval.prefix - 96 };
}

/** A list entry: an address or a network with no host bits set, checked by the hub's IP parser. */
export function listedRange(text: string, reason: string): { ok: true; range: ListedRange } | { ok: false; message: string } {
  const normalised = normaliseIpAddress(text.trim());
  if (!normalised.ok) return normalised;
  const interval = addressInterval(normalised.value.text);
  if (interval === undefined) return { ok: false, message: `'${text}' is not an address or a network` };
  return { ok: true, range: { interval, text: normalised.value.text, reason } };
}

/** How `value` stands to `range`, or undefined when they do not overlap. */
export function rangeRelation(value: AddressInterval, range: AddressInterval): RangeRelation | undefined {
  if (value.version === 4 && range.version === 4) {
    if (value.first > range.last || range.first > value.last) return undefined;
  } else if (value.version === 6 && range.version === 6) {
    if (compareGroups(value.first, range.last) > 0 || compareGroups(range.first, value.last) > 0) return undefined;
  } else return undefined;
  // Overlapping networks nest: the longer prefix is the one inside.
  if (value.prefix === range.prefix) return 'equal';
  return value.prefix > range.prefix ? 'inside' : 'contains';
}

/** Most specific first, so 255.255.255.255 is named as the broadcast address, not as inside 240.0.0.0/4. */
export function bySpecificity(a: ListedRange, b: ListedRange): number {
  return b.interval.prefix - a.interval.prefix;
}

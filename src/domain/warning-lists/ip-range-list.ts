import { normaliseIpAddress } from '../indicators/ip-address';
import { parseIpv4 } from '../indicators/ipv4-address';
import { parseIpv6, type Ipv6Groups } from '../indicators/ipv6-address';

/**
 * Address ranges as intervals: IPv4 as numbers (fast enough to check a million values a second),
 * IPv6 as bigints. An indicator hits a range when the two overlap: an address inside it, a network
 * inside it, or a network containing it (blocking 8.0.0.0/7 blocks 8.8.8.8 too). CIDR networks
 * either nest or are disjoint, so an overlap is always one of these.
 */

export interface AddressInterval<N extends number | bigint = number | bigint> {
  readonly version: 4 | 6;
  readonly first: N;
  readonly last: N;
}

/** A listed range: its interval, its canonical text and why it matters. */
export interface ListedRange {
  readonly interval: AddressInterval;
  readonly text: string;
  readonly reason: string;
}

export type RangeRelation = 'equal' | 'inside' | 'contains';

const MAPPED_PREFIX = 0xffffn << 32n;

function v6Value(groups: Ipv6Groups): bigint {
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

function prefixLength(text: string | undefined, bits: number): number | undefined {
  if (text === undefined) return bits;
  if (!/^[0-9]{1,3}$/.test(text)) return undefined;
  const prefix = Number(text);
  return prefix <= bits ? prefix : undefined;
}

/** The interval of `address/prefix` (or of one address), read with the hub's own parsers; undefined when not an address. */
export function addressInterval(text: string): AddressInterval | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (address.includes(':')) {
    const groups = parseIpv6(address);
    if (!groups.ok) return undefined;
    const prefix = prefixLength(prefixText, 128);
    if (prefix === undefined) return undefined;
    const hostBits = BigInt(128 - prefix);
    const first = (v6Value(groups.value) >> hostBits) << hostBits;
    return { version: 6, first, last: first + (1n << hostBits) - 1n };
  }
  const v4 = parseIpv4(address);
  if (!v4.ok) return undefined;
  const prefix = prefixLength(prefixText, 32);
  if (prefix === undefined) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(v4.value / size) * size;
  return { version: 4, first, last: first + size - 1 };
}

/** An IPv6 interval inside ::ffff:0:0/96 (IPv4-mapped) as the IPv4 interval it stands for. */
export function mappedIpv4(interval: AddressInterval): AddressInterval<number> | undefined {
  if (interval.version !== 6) return undefined;
  const first = interval.first as bigint;
  const last = interval.last as bigint;
  if (first >> 32n !== 0xffffn || last >> 32n !== 0xffffn) return undefined;
  return { version: 4, first: Number(first - MAPPED_PREFIX), last: Number(last - MAPPED_PREFIX) };
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
  if (value.version !== range.version) return undefined;
  if (value.first > range.last || range.first > value.last) return undefined;
  if (value.first === range.first && value.last === range.last) return 'equal';
  return value.first >= range.first && value.last <= range.last ? 'inside' : 'contains';
}

/** Most specific first, so 255.255.255.255 is named as the broadcast address, not as inside 240.0.0.0/4. */
export function bySpecificity(a: ListedRange, b: ListedRange): number {
  const size = (r: ListedRange) => BigInt(r.interval.last) - BigInt(r.interval.first);
  const difference = size(a) - size(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

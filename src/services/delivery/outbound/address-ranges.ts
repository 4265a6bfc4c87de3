import { isIP } from 'node:net';

/**
 * IP addresses as numbers, CIDR ranges and the address classes a push must not reach unless the
 * operator allow-listed them by CIDR: loopback, private, link-local, unique-local, CGNAT,
 * multicast, unspecified, reserved and documentation ranges, and IPv6 forms that embed one
 * (IPv4-mapped, IPv4-compatible, NAT64 well-known prefix, 6to4).
 */

export interface IpAddress {
  readonly family: 4 | 6;
  /** 32 or 128 bits. */
  readonly value: bigint;
}

export interface CidrRange {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

export function parseIp(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const family = isIP(bare);
  if (family === 4) return { family: 4, value: ipv4Value(bare) };
  if (family === 6) {
    const value = ipv6Value(bare);
    return value === undefined ? undefined : { family: 6, value };
  }
  return undefined;
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Value(text: string): bigint | undefined {
  let address = text.split('%')[0] ?? '';
  // An embedded dotted IPv4 tail (::ffff:10.0.0.1) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted?.[1]) {
    const v4 = ipv4Value(dotted[1]);
    address = `${address.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). */
export function parseCidr(text: string): CidrRange | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > bits) return undefined;
  }
  return { family: ip.family, base: ip.value & mask(bits, prefix), prefix };
}

function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return prefix === 0 ? 0n : all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

export function cidrContains(range: CidrRange, ip: IpAddress): boolean {
  if (range.family !== ip.family) return false;
  return (ip.value & mask(ip.family === 4 ? 32 : 128, range.prefix)) === range.base;
}

/** Why an address is not public, or undefined when it is a public unicast address. */
export type NonPublicClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared (CGNAT)'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'unique-local'
  | 'benchmarking';

const V4_CLASSES: readonly (readonly [string, NonPublicClass])[] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
];

const V6_CLASSES: readonly (readonly [string, NonPublicClass])[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['100::/64', 'reserved'],
  ['2001:db8::/32', 'documentation'],
  ['2001::/23', 'reserved'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'reserved'],
  ['ff00::/8', 'multicast'],
];

const compile = (table: readonly (readonly [string, NonPublicClass])[]) =>
  table.map(([cidr, kind]) => {
    const range = parseCidr(cidr);
    if (!range) throw new Error(`bad built-in range ${cidr}`);
    return { range, kind };
  });
const V4 = compile(V4_CLASSES);
const V6 = compile(V6_CLASSES);

/** The IPv4 address an IPv6 address carries (mapped ::ffff:0:0/96, compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16). */
export function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.family !== 6) return undefined;
  const top96 = ip.value >> 32n;
  const low32 = ip.value & 0xffffffffn;
  if (top96 === 0xffffn || (top96 === 0n && ip.value > 1n) || top96 === 0x64ff9b0000000000000000n) return { family: 4, value: low32 };
  if (ip.value >> 112n === 0x2002n) return { family: 4, value: (ip.value >> 80n) & 0xffffffffn };
  return undefined;
}

export function nonPublicClass(ip: IpAddress): NonPublicClass | undefined {
  const embedded = embeddedIpv4(ip);
  if (embedded) return nonPublicClass(embedded);
  for (const { range, kind } of ip.family === 4 ? V4 : V6) if (cidrContains(range, ip)) return kind;
  return undefined;
}

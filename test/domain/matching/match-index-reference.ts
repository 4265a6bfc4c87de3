import { normaliseEmailAddress } from '../../../src/domain/indicators/email-address';
import { normaliseHostName } from '../../../src/domain/indicators/host-name';
import { normaliseIpAddress } from '../../../src/domain/indicators/ip-address';
import { urlParts } from '../../../src/domain/indicators/url-parts';
import { normaliseUrl } from '../../../src/domain/indicators/url-value';
import type { MatchEntry, MatchHit, ObservationKind } from '../../../src/domain/matching';

/**
 * The matching rules written the slow, obvious way, to test the index against: every entry checked in
 * turn, every observation normalised with the hub's own functions (normaliseIpAddress,
 * normaliseHostName, normaliseUrl, normaliseEmailAddress), IP networks compared as BigInts. Where the
 * index is more lenient than the hub's submission rules, on purpose, this says so the same way:
 * values are trimmed; an IPv4 address may zero-pad its octets; ::ffff:a.b.c.d is a.b.c.d; a host may
 * carry a port; a URL or e-mail domain is looked up even when the whole value would be refused.
 */

type How = MatchHit['how'];
interface Found {
  readonly how: How;
  readonly entry: MatchEntry;
}

const trim = (text: string): string => {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 32) start++;
  while (end > start && text.charCodeAt(end - 1) <= 32) end--;
  return text.slice(start, end);
};
const MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/;

/** An IP value (address or network) as [version, bits as BigInt, prefix length]. */
function ipBits(text: string): [4 | 6, bigint, number] | undefined {
  const [address = '', prefix] = text.split('/');
  const mapped = MAPPED.exec(address);
  if (mapped) {
    const inner = ipBits(mapped[1] as string);
    if (inner === undefined) return undefined;
    const length = prefix === undefined ? 128 : Number(prefix);
    return length >= 96 ? [4, inner[1], length - 96] : [6, (0xffffn << 32n) | inner[1], length];
  }
  if (!address.includes(':')) {
    const bits = address.split('.').reduce((sum, octet) => sum * 256n + BigInt(octet), 0n);
    return [4, bits, prefix === undefined ? 32 : Number(prefix)];
  }
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? [] : [BigInt(parseInt(g, 16))])));
  const all = tail === undefined ? groups(head) : [...groups(head), ...new Array<bigint>(8 - groups(head).length - groups(tail).length).fill(0n), ...groups(tail)];
  return [6, all.reduce((sum, g) => (sum << 16n) | g, 0n), prefix === undefined ? 128 : Number(prefix)];
}

function normalisedIp(text: string): string | undefined {
  let bare = text;
  if (bare.startsWith('[')) {
    const close = bare.indexOf(']');
    if (close < 0 || !/^(?::\d*)?$/.test(bare.slice(close + 1))) return undefined;
    bare = bare.slice(1, close);
  }
  const zone = bare.indexOf('%');
  if (zone >= 0 && bare.slice(0, zone).includes(':')) bare = bare.slice(0, zone);
  if (bare.includes('/')) return undefined; // a network is not an observation
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bare)) bare = bare.split('.').map((octet) => String(Number(octet))).join('.');
  const ip = normaliseIpAddress(bare);
  return ip.ok && !ip.value.network ? ip.value.text : undefined;
}

const ENTRY_BITS = new Map<string, [4 | 6, bigint, number]>();
function entryBits(value: string): [4 | 6, bigint, number] {
  let bits = ENTRY_BITS.get(value);
  if (bits === undefined) ENTRY_BITS.set(value, (bits = ipBits(value) as [4 | 6, bigint, number]));
  return bits;
}

export function referenceLookup(entries: readonly MatchEntry[], kind: ObservationKind, raw: string, now: number): Found[] {
  const live = entries.filter((e) => e.validUntilMicros === undefined || e.validUntilMicros > now);
  const found: Found[] = [];

  const ip = (text: string, how?: How) => {
    const address = normalisedIp(text);
    if (address === undefined) return;
    const [version, bits] = ipBits(address) as [4 | 6, bigint, number];
    for (const entry of live.filter((e) => e.kind === 'c2-ip' || e.kind === 'email-sender-ip')) {
      const [v, network, length] = entryBits(entry.value);
      const size = v === 4 ? 32 : 128;
      if (v === version && bits >> BigInt(size - length) === network >> BigInt(size - length)) found.push({ entry, how: how ?? (length === size ? 'exact' : 'cidr') });
    }
  };

  const host = (text: string, how?: How) => {
    const bare = text.endsWith('.') ? text.slice(0, -1) : text;
    if (bare === '') return;
    if (bare.startsWith('[') || (bare.match(/:/g) ?? []).length > 1) return ip(bare, how);
    const port = /^([^:]*):\d*$/.exec(bare);
    if (port) return host(port[1] as string, how);
    if (bare.includes(':')) return;
    const name = normaliseHostName(bare);
    if (!name.ok) return name.reason === 'ip-address' ? ip(bare, how) : undefined;
    for (const entry of live.filter((e) => e.kind === 'c2-hostname')) {
      if (name.value === entry.value) found.push({ entry, how: how ?? 'exact' });
      else if (name.value.endsWith(`.${entry.value}`)) found.push({ entry, how: how ?? 'subdomain' });
    }
  };

  const authorityHost = (rest: string): string => {
    const authority = rest.split(/[/?#\\]/)[0] as string;
    const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
    return hostAndPort.startsWith('[') ? hostAndPort.slice(0, hostAndPort.indexOf(']') + 1 || undefined) : (hostAndPort.split(':')[0] as string);
  };

  const url = (text: string) => {
    const withSlashes = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text);
    const schemeWithout = !withSlashes && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text) && !/^[A-Za-z][A-Za-z0-9+.-]*:\d+(?:[/?#]|$)/.test(text);
    if (!withSlashes && !schemeWithout) return host(authorityHost(text), 'url-host'); // host[:port][/path]
    const canonical = normaliseUrl(text);
    if (canonical.ok) {
      const key = canonical.value.split('#')[0];
      for (const entry of live.filter((e) => e.kind === 'url' && e.value.split('#')[0] === key)) found.push({ entry, how: 'exact' });
      return host(urlParts(canonical.value)?.hostname ?? '', 'url-host');
    }
    if (withSlashes) host(authorityHost(text.slice(withSlashes[0].length)), 'url-host');
  };

  const email = (text: string) => {
    const bare = text.length >= 2 && text.startsWith('<') && text.endsWith('>') ? text.slice(1, -1) : text;
    const at = bare.lastIndexOf('@');
    if (at <= 0 || at === bare.length - 1 || bare.length > 254) return;
    const address = normaliseEmailAddress(bare);
    if (address.ok) for (const entry of live.filter((e) => e.kind === 'email-from' && e.value === address.value)) found.push({ entry, how: 'exact' });
    host(bare.slice(at + 1), 'email-domain');
  };

  const exact = (entryKind: MatchEntry['kind'], value: string) => {
    for (const entry of live.filter((e) => e.kind === entryKind && e.value === value)) found.push({ entry, how: 'exact' });
  };

  const text = trim(raw);
  switch (kind) {
    case 'ip':
      ip(text);
      break;
    case 'host':
      host(text);
      break;
    case 'url':
      url(text);
      break;
    case 'email':
      email(text);
      break;
    case 'subject':
      exact('email-subject', raw);
      break;
    case 'filename':
      exact('email-attachment-name', raw);
      break;
    case 'hash':
      if (/^[0-9a-fA-F]+$/.test(text)) exact('file-hash', text.toLowerCase());
      break;
  }
  return found;
}

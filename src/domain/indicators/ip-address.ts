import type { ValueCheck } from './indicator-kinds';
import { quoted } from './value-display';
import { formatIpv4, ipv4Network, parseIpv4 } from './ipv4-address';
import { formatIpv6, ipv6Network, parseIpv6 } from './ipv6-address';

/**
 * IP address indicators: one address, or a network in CIDR notation. Addresses are written in
 * canonical form (dotted quad; RFC 5952 for IPv6); a network must have no host bits set, and a
 * /32 or /128 network is the plain address.
 */

export interface IpAddress {
  readonly version: 4 | 6;
  /** `198.51.100.7`, `2001:db8::1`, or a network such as `198.51.100.0/24`. */
  readonly text: string;
  /** True for a CIDR network (compared with ISSUBSET), false for one address. */
  readonly network: boolean;
}

const EXAMPLES = 'an IPv4 address such as 198.51.100.7, an IPv6 address such as 2001:db8::1, or a network such as 198.51.100.0/24';

interface ParsedAddress {
  readonly version: 4 | 6;
  readonly bits: number;
  readonly format: () => string;
  readonly network: (prefixLength: number) => string;
}

function parseAddress(text: string): ValueCheck<ParsedAddress> {
  if (text.includes(':')) {
    const groups = parseIpv6(text);
    if (!groups.ok) return groups;
    return { ok: true, value: { version: 6, bits: 128, format: () => formatIpv6(groups.value), network: (n) => formatIpv6(ipv6Network(groups.value, n)) } };
  }
  if (/^[0-9.]+$/.test(text)) {
    const address = parseIpv4(text);
    if (!address.ok) return address;
    return { ok: true, value: { version: 4, bits: 32, format: () => formatIpv4(address.value), network: (n) => formatIpv4(ipv4Network(address.value, n)) } };
  }
  return { ok: false, message: `${quoted(text)} is not an IP address; send ${EXAMPLES}` };
}

/** Normalises an address or CIDR network; `text` is already trimmed. */
export function normaliseIpAddress(text: string): ValueCheck<IpAddress> {
  if (text === '') return { ok: false, message: `is empty; send ${EXAMPLES}` };
  if (text.includes('[') || text.includes(']')) {
    return { ok: false, message: `${quoted(text)} is in brackets; send the bare address (no brackets, no port), such as 2001:db8::1` };
  }
  const zone = text.indexOf('%');
  if (zone >= 0) {
    return {
      ok: false,
      message: `${quoted(text)} has a zone id (${quoted(text.slice(zone))}), which only means something on one host; send the address without it`,
    };
  }
  if (/^[0-9.]+:[0-9]+$/.test(text)) return { ok: false, message: `${quoted(text)} has a port; send the address without it` };
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseAddress(addressText);
  if (!address.ok) return address;
  const { version, bits } = address.value;
  const canonical = address.value.format();
  if (slash < 0) return { ok: true, value: { version, text: canonical, network: false } };

  const prefixText = text.slice(slash + 1);
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > bits) {
    return { ok: false, message: `prefix length ${quoted('/' + prefixText)} of ${quoted(text)} is not a whole number from 0 to ${bits} (IPv${version})` };
  }
  const prefixLength = Number(prefixText);
  if (prefixLength === bits) return { ok: true, value: { version, text: canonical, network: false } };
  const network = address.value.network(prefixLength);
  if (network !== canonical) {
    return { ok: false, message: `${canonical}/${prefixLength} has host bits set; did you mean ${network}/${prefixLength}?` };
  }
  return { ok: true, value: { version, text: `${network}/${prefixLength}`, network: true } };
}

import type { ValueCheck } from './indicator-kinds';
import { quoted } from './value-display';

/** IPv4 addresses in strict dotted-quad form: four decimal octets 0-255, no leading zeros. */

const EXAMPLE = 'a dotted quad such as 198.51.100.7';

/** Parses a dotted quad into its 32-bit value (unsigned). */
export function parseIpv4(text: string): ValueCheck<number> {
  const parts = text.split('.');
  if (parts.length !== 4) return { ok: false, message: `${quoted(text)} has ${parts.length} part${parts.length === 1 ? '' : 's'}; an IPv4 address is ${EXAMPLE}` };
  let address = 0;
  for (const part of parts) {
    if (part === '') return { ok: false, message: `${quoted(text)} has an empty octet; an IPv4 address is ${EXAMPLE}` };
    if (!/^[0-9]+$/.test(part)) return { ok: false, message: `octet ${quoted(part)} of ${quoted(text)} is not a decimal number; an IPv4 address is ${EXAMPLE}` };
    if (part.length > 1 && part.startsWith('0')) {
      const octets = parts.map(Number);
      const decimal = parts.every((p) => /^[0-9]{1,3}$/.test(p)) && octets.every((o) => o <= 255) ? `; send ${octets.join('.')} if the octets are decimal` : '';
      return { ok: false, message: `${quoted(text)} has a leading zero in octet ${quoted(part)}, which some software reads as octal${decimal}` };
    }
    const octet = Number(part);
    if (octet > 255) return { ok: false, message: `octet ${quoted(part)} of ${quoted(text)} is above 255` };
    address = address * 256 + octet;
  }
  return { ok: true, value: address };
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** The address with every bit after the first `prefixLength` cleared. */
export function ipv4Network(address: number, prefixLength: number): number {
  const hostSize = 2 ** (32 - prefixLength);
  return Math.floor(address / hostSize) * hostSize;
}

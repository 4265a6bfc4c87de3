import type { ValueCheck } from './indicator-kinds';
import { quoted } from './value-display';
import { formatIpv4, parseIpv4 } from './ipv4-address';

/**
 * IPv6 addresses (RFC 4291 §2.2 text forms) read into eight 16-bit groups, and written back in the
 * RFC 5952 canonical form.
 */

export type Ipv6Groups = readonly number[];

const GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Reads the groups on one side of '::' (or of the whole address); a dotted IPv4 tail counts as two groups. */
function readGroups(text: string, part: string, dottedTailAllowed: boolean): ValueCheck<number[]> {
  if (part === '') return { ok: true, value: [] };
  const pieces = part.split(':');
  const groups: number[] = [];
  for (const [index, piece] of pieces.entries()) {
    if (piece === '') return { ok: false, message: `${quoted(text)} has an empty group (a single ':' at the start, at the end or next to '::')` };
    if (piece.includes('.')) {
      if (!dottedTailAllowed || index !== pieces.length - 1) {
        return { ok: false, message: `${quoted(text)} has a dotted IPv4 part ${quoted(piece)} that is not at the end of the address` };
      }
      const v4 = parseIpv4(piece);
      if (!v4.ok) return { ok: false, message: `the IPv4 part of ${quoted(text)} is invalid: ${v4.message}` };
      groups.push(Math.floor(v4.value / 0x10000), v4.value % 0x10000);
      continue;
    }
    if (!GROUP.test(piece)) return { ok: false, message: `group ${quoted(piece)} of ${quoted(text)} is not 1 to 4 hex digits` };
    groups.push(parseInt(piece, 16));
  }
  return { ok: true, value: groups };
}

/** Parses any valid RFC 4291 text form (without zone id, prefix or brackets) into eight groups. */
export function parseIpv6(text: string): ValueCheck<Ipv6Groups> {
  const stray = /[^0-9a-fA-F:.]/u.exec(text);
  if (stray) return { ok: false, message: `${quoted(text)} contains '${stray[0]}', which cannot appear in an IPv6 address` };
  const compressed = text.indexOf('::');
  if (compressed >= 0 && text.indexOf('::', compressed + 1) >= 0) return { ok: false, message: `${quoted(text)} has more than one '::'` };
  if (compressed < 0) {
    const all = readGroups(text, text, true);
    if (!all.ok) return all;
    if (all.value.length !== 8) {
      return { ok: false, message: `${quoted(text)} has ${all.value.length} groups; an IPv6 address has 8, or fewer with '::' standing for zero groups` };
    }
    return all;
  }
  const head = readGroups(text, text.slice(0, compressed), false);
  if (!head.ok) return head;
  const tail = readGroups(text, text.slice(compressed + 2), true);
  if (!tail.ok) return tail;
  const written = head.value.length + tail.value.length;
  if (written > 7) return { ok: false, message: `${quoted(text)} has ${written} groups besides '::'; with '::' there can be at most 7` };
  return { ok: true, value: [...head.value, ...new Array<number>(8 - written).fill(0), ...tail.value] };
}

/** ::ffff:0:0/96 (RFC 4291 §2.5.5.2): written with a dotted IPv4 tail, as RFC 5952 §5 recommends. */
function isIpv4Mapped(groups: Ipv6Groups): boolean {
  return groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}

/** The RFC 5952 form: lower case, no leading zeros, the longest run (first on ties) of two or more zero groups as '::'. */
export function formatIpv6(groups: Ipv6Groups): string {
  if (isIpv4Mapped(groups)) return `::ffff:${formatIpv4((groups[6] ?? 0) * 0x10000 + (groups[7] ?? 0))}`;
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < groups.length; ) {
    let end = start;
    while (end < groups.length && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end === start ? start + 1 : end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The address with every bit after the first `prefixLength` cleared. */
export function ipv6Network(groups: Ipv6Groups, prefixLength: number): Ipv6Groups {
  return groups.map((group, index) => {
    const bitsInGroup = Math.min(16, Math.max(0, prefixLength - index * 16));
    const mask = bitsInGroup === 0 ? 0 : (0xffff << (16 - bitsInGroup)) & 0xffff;
    return group & mask;
  });
}

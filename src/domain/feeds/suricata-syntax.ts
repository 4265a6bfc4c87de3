/**
 * The pieces of Suricata's rule language the feed writes (Suricata 6/7 rule format): option
 * values in quotes, content in printable text and |hex| bytes, and sids.
 */

/**
 * A `msg` value: printable ASCII (anything else becomes `?`), with `\` `"` `;` escaped by a
 * backslash as the rule grammar requires; at most `max` characters of text.
 */
export function suricataMessage(text: string, max = 200): string {
  const flat = text.replace(/\s+/gu, ' ').replace(/[^\x20-\x7e]/gu, '?').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
  return cut.replace(/[\\";]/g, (char) => `\\${char}`);
}

/** Bytes written as they are inside `content:"…"`; every other byte goes in a |hex| run. */
const PLAIN_BYTE = /^[A-Za-z0-9._~/=?&%+,@!*-]$/;

/**
 * A `content` value (without the quotes): the UTF-8 bytes of `text`, letters, digits and a few
 * harmless punctuation marks as they are, everything else (`;` `"` `\` `|` `:` space, non-ASCII,
 * control characters…) as |hex| bytes, so no byte can end the option or the rule.
 */
export function suricataContent(text: string): string {
  let out = '';
  let hex: string[] = [];
  const flush = (): void => {
    if (hex.length > 0) out += `|${hex.join(' ')}|`;
    hex = [];
  };
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    if (byte < 0x80 && PLAIN_BYTE.test(char)) {
      flush();
      out += char;
    } else hex.push(byte.toString(16).toUpperCase().padStart(2, '0'));
  }
  flush();
  return out;
}

/** FNV-1a, 32 bits: a stable, well-spread number for a text. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export const DEFAULT_SID_BASE = 1_900_000_000;
export const DEFAULT_SID_COUNT = 100_000_000;
/** Rule tools read sids as signed 32-bit numbers; the range stays below 2^31. */
export const MAX_SID = 2 ** 31 - 1;

/**
 * Sids for rule keys (an indicator id and which rule of it): each key's sid is base + its hash
 * modulo count, so it stays the same from one rendering to the next. Two keys on one sid are
 * told apart in key order, the later one taking the next free sid (wrapping within the range).
 * Throws when the range is invalid or smaller than the number of keys (a configuration error the
 * feed service checks first).
 */
export function allocateSids(keys: readonly string[], base = DEFAULT_SID_BASE, count = DEFAULT_SID_COUNT): Map<string, number> {
  const problem = sidRangeProblem(base, count);
  if (problem !== undefined) throw new RangeError(problem);
  const unique = [...new Set(keys)].sort();
  if (unique.length > count) throw new RangeError(`${unique.length} rules do not fit in a range of ${count} sids`);
  const taken = new Set<number>();
  const sids = new Map<string, number>();
  for (const key of unique) {
    let offset = fnv1a(key) % count;
    while (taken.has(offset)) offset = (offset + 1) % count;
    taken.add(offset);
    sids.set(key, base + offset);
  }
  return sids;
}

/** What is wrong with a sid range, completing "the Suricata sid range …"; undefined when it is fine. */
export function sidRangeProblem(base: number, count: number): string | undefined {
  if (!Number.isSafeInteger(base) || base < 1) return `base ${base} is not a whole number of at least 1`;
  if (!Number.isSafeInteger(count) || count < 1) return `size ${count} is not a whole number of at least 1`;
  if (base + count - 1 > MAX_SID) return `${base} to ${base + count - 1} goes past ${MAX_SID}, the largest sid rule tools accept`;
  return undefined;
}

/** A rule's `rev` for an indicator version (microseconds): its second, which a later version never lowers. */
export function revOf(versionMicros: number): number {
  return Math.max(1, Math.floor(versionMicros / 1_000_000) % 2 ** 32);
}

/**
 * The pieces of Suricata's rule language the feed writes (Suricata 6/7 rule format): option
 * values in quotes, content in printable text and |hex| bytes, and sids.
 */

/**
 * A `msg` value: printable ASCII (anything else becomes `?`), with `\` `"` `;` escaped by a
 * backslash as the rule grammar requires; at most `max` characters of text.
 */
export function suricataMessage(text: string, max = 200): string {
  if (text.length <= max && PLAIN_MESSAGE.test(text)) return text;
  const flat = text.replace(/\s+/gu, ' ').replace(/[^\x20-\x7e]/gu, '?').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
  return cut.replace(/[\\";]/g, (char) => `\\${char}`);
}

/** A message needing no change: printable ASCII without `\` `"` `;`, no leading, trailing or double space. */
const PLAIN_MESSAGE = /^(?! )(?!.* $)(?!.* {2})[\x20-\x21\x23-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** Bytes written as they are inside `content:"…"`; every other byte goes in a |hex| run. */
const PLAIN_BYTE = /^[A-Za-z0-9._~/=?&%+,@!*-]$/;
const PLAIN_CONTENT = /^[A-Za-z0-9._~/=?&%+,@!*-]+$/;

/**
 * A `content` value (without the quotes): the UTF-8 bytes of `text`, letters, digits and a few
 * harmless punctuation marks as they are, everything else (`;` `"` `\` `|` `:` space, non-ASCII,
 * control characters…) as |hex| bytes, so no byte can end the option or the rule.
 */
export function suricataContent(text: string): string {
  if (PLAIN_CONTENT.test(text)) return text;
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

/** FNV-1a, 32 bits, over the UTF-16 code units: a stable, well-spread number for a text. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export const DEFAULT_SID_BASE = 1_900_000_000;
export const DEFAULT_SID_COUNT = 100_000_000;
/** Rule tools read sids as signed 32-bit numbers; the range stays below 2^31. */
export const MAX_SID = 2 ** 31 - 1;

/**
 * Sids for rule keys (an indicator id, which rule of it, the value): a key's sid is base + its hash
 * modulo count, so it stays the same from one rendering to the next. Two keys on one sid are told
 * apart in the order they are asked for (the feed's order), the later one taking the next free sid
 * (wrapping within the range). Throws when the range is invalid (a configuration error the feed
 * service checks first) or full.
 */
export class SidAllocator {
  private readonly taken: Uint8Array;
  private used = 0;

  constructor(
    private readonly base = DEFAULT_SID_BASE,
    private readonly count = DEFAULT_SID_COUNT,
  ) {
    const problem = sidRangeProblem(base, count);
    if (problem !== undefined) throw new RangeError(problem);
    this.taken = new Uint8Array(Math.ceil(count / 8));
  }

  sidOf(key: string): number {
    if (this.used >= this.count) throw new RangeError(`more than ${this.count} rules do not fit in a range of ${this.count} sids`);
    let offset = fnv1a(key) % this.count;
    while ((this.taken[offset >> 3] as number) & (1 << (offset & 7))) offset = offset + 1 === this.count ? 0 : offset + 1;
    this.taken[offset >> 3] = (this.taken[offset >> 3] as number) | (1 << (offset & 7));
    this.used += 1;
    return this.base + offset;
  }
}

/** The sids of these keys, each key once, allocated in the order given. */
export function allocateSids(keys: readonly string[], base = DEFAULT_SID_BASE, count = DEFAULT_SID_COUNT): Map<string, number> {
  const allocator = new SidAllocator(base, count);
  const sids = new Map<string, number>();
  for (const key of keys) if (!sids.has(key)) sids.set(key, allocator.sidOf(key));
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

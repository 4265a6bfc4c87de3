import { FOLD_SEED, foldStep, type FoldTable } from './fold-table';

/**
 * One pass over a logged ASCII host name, from its last character to its first, that checks it the
 * way the hub checks host names and finds, on the way, the host and each parent domain in a table
 * of host indicators, without cutting the string. The hits are kept until the whole name has been
 * checked (a name the hub would refuse matches nothing), and the hash of the whole name is left for
 * the next look-up (an e-mail address goes on hashing its local part; a URL asks its host's URLs).
 */

/** A name the hub would accept as written, apart from ASCII case. */
export const HOST_NAME = 1;
/** Digits and dots only: an IPv4 address, or nothing. */
export const NUMBERS = 2;
/** Nothing the hub would accept: an empty or long label, a label starting or ending with '-', one label, all-digit last label, too long. */
export const NOT_A_NAME = 3;
/** A name only the hub's normalisation can tell: other characters, or an 'xn--' (punycode) label. */
export const NEEDS_THE_HUB = 4;

/** Per ASCII character: 0 none of a host name's, 1 a digit, 2 a letter, '-' or '_', 3 '.'; and its lower case. */
const CLASS = new Uint8Array(128);
const LOWER = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  CLASS[c] = c === 46 ? 3 : c >= 48 && c <= 57 ? 1 : letter || c === 45 || c === 95 ? 2 : 0;
  LOWER[c] = c >= 65 && c <= 90 ? c + 32 : c;
}

const MAX_LABEL = 63;
const MAX_NAME = 253;

export class HostWalk {
  /** The fold hash (fold-table.ts) of the whole name walked, when the walk gave HOST_NAME or NUMBERS. */
  hash = 0;
  /** Heads (table values) of the parent domains found, nearest the top-level domain first. */
  readonly parents = new Int32Array(MAX_NAME);
  parentCount = 0;
  /** The head of the whole name, or 0. */
  whole = 0;

  /**
   * Walks text[start, end) (no trailing dot), probing `hosts` (skipped when empty). `normalised`:
   * the name is the hub's normalisation of one (its punycode labels are valid).
   */
  walk(text: string, start: number, end: number, hosts: FoldTable, normalised = false): number {
    this.parentCount = 0;
    this.whole = 0;
    if (end - start > MAX_NAME) return NOT_A_NAME;
    const probing = hosts.size > 0;
    let h = FOLD_SEED;
    let labelEnd = end;
    let labels = 0;
    let allDigits = true;
    let labelDigits = true;
    let lastLabelDigits = false;
    for (let i = end - 1; ; i--) {
      const c = i >= start ? text.charCodeAt(i) : 46;
      if (c === 46) {
        const length = labelEnd - i - 1;
        if (length === 0 || length > MAX_LABEL) return NOT_A_NAME;
        const first = i + 1;
        if (text.charCodeAt(first) === 45 || text.charCodeAt(labelEnd - 1) === 45) return NOT_A_NAME;
        if (!normalised && length >= 4 && text.charCodeAt(first + 2) === 45 && text.charCodeAt(first + 3) === 45 && (text.charCodeAt(first) | 0x20) === 120 && (text.charCodeAt(first + 1) | 0x20) === 110) {
          return NEEDS_THE_HUB;
        }
        if (labels === 0) lastLabelDigits = labelDigits;
        labels++;
        if (i < start) break;
        // A host indicator has two labels at least: the last label alone is never one.
        if (probing && labels >= 2) {
          const slot = hosts.find(text, first, end, h);
          if (slot >= 0) this.parents[this.parentCount++] = hosts.valueAt(slot);
        }
        h = foldStep(h, c);
        labelEnd = i;
        labelDigits = true;
        continue;
      }
      const kind = c < 128 ? (CLASS[c] as number) : 0;
      if (kind === 0) return NEEDS_THE_HUB;
      if (kind === 2) {
        allDigits = false;
        labelDigits = false;
      }
      h = Math.imul(h ^ (LOWER[c] as number), 0x01000193); // foldStep, by table
    }
    this.hash = h;
    if (allDigits) return NUMBERS;
    if (lastLabelDigits || labels < 2) {
      this.parentCount = 0;
      return NOT_A_NAME;
    }
    if (probing) {
      const slot = hosts.find(text, start, end, h);
      if (slot >= 0) this.whole = hosts.valueAt(slot);
    }
    return HOST_NAME;
  }
}

import { mix32 } from './word-table';

/**
 * An open-addressing hash table of strings compared without ASCII case (host names, e-mail domains,
 * hex digests), looked up by a part of a longer string so that the suffixes of a logged host name
 * are found without cutting it: the hash runs from the end of the key to its start, so walking a
 * host from its last character gives the hash of every suffix on the way (foldStep).
 */

const SEED = 0x811c9dc5 | 0;

/** One character more, to the left, of a right-to-left hash; ASCII upper case hashes as lower case. */
export function foldStep(h: number, c: number): number {
  return Math.imul(h ^ (c >= 65 && c <= 90 ? c + 32 : c), 0x01000193);
}

export const FOLD_SEED = SEED;

export function foldHash(text: string, start: number, end: number): number {
  let h = SEED;
  for (let i = end - 1; i >= start; i--) h = foldStep(h, text.charCodeAt(i));
  return h;
}

export class FoldTable {
  private keys: string[];
  /** Per slot: the hash and the value (0: empty, so values are never 0), side by side: a probe reads one cache line. */
  private cells: Int32Array;
  /**
   * Eight bits per slot, one set per key's hash (cleared only when the table grows): most look-ups
   * find nothing, and the filter, small enough to stay in a cache, says so without reading a slot.
   */
  private filter: Uint32Array;
  private mask: number;
  private used = 0;

  /**
   * Keys are stored lower case (as the hub normalises them) except, with `exactBeforeAt`, before
   * their last '@' (an e-mail local part, compared exactly).
   */
  constructor(private readonly exactBeforeAt = false, capacity = 16) {
    this.keys = new Array<string>(capacity).fill('');
    this.cells = new Int32Array(capacity * 2);
    this.filter = new Uint32Array(capacity / 4);
    this.mask = capacity - 1;
  }

  private filterBit(hash: number): number {
    return mix32(hash ^ 0x5bd1e995) & (this.mask * 8 + 7);
  }

  get size(): number {
    return this.used;
  }

  /** The slot of the key equal to text[start, end) (its foldHash given), or -1. */
  find(text: string, start: number, end: number, hash: number): number {
    const bit = this.filterBit(hash);
    if (((this.filter[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return -1;
    const { cells, mask } = this;
    const length = end - start;
    for (let slot = mix32(hash) & mask; cells[slot * 2 + 1] !== 0; slot = (slot + 1) & mask) {
      if (cells[slot * 2] !== hash) continue;
      const key = this.keys[slot] as string;
      if (key.length === length && this.equal(key, text, start)) return slot;
    }
    return -1;
  }

  private equal(key: string, text: string, start: number): boolean {
    const exactUntil = this.exactBeforeAt ? key.lastIndexOf('@') : 0;
    for (let i = 0; i < key.length; i++) {
      const a = text.charCodeAt(start + i);
      const b = key.charCodeAt(i);
      if (a === b) continue;
      if (i < exactUntil || a < 65 || a > 90 || a + 32 !== b) return false;
    }
    return true;
  }

  valueAt(slot: number): number {
    return this.cells[slot * 2 + 1] as number;
  }

  setAt(slot: number, value: number): void {
    this.cells[slot * 2 + 1] = value;
  }

  /** Adds a key known to be absent; value is never 0. */
  add(key: string, value: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    const hash = foldHash(key, 0, key.length);
    let slot = mix32(hash) & this.mask;
    while (this.cells[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    this.cells[slot * 2] = hash;
    this.cells[slot * 2 + 1] = value;
    const bit = this.filterBit(hash);
    this.filter[bit >>> 5] = (this.filter[bit >>> 5] as number) | (1 << (bit & 31));
    this.used++;
  }

  removeAt(slot: number): void {
    const { keys, cells, mask } = this;
    let hole = slot;
    for (let next = (hole + 1) & mask; cells[next * 2 + 1] !== 0; next = (next + 1) & mask) {
      const home = mix32(cells[next * 2] as number) & mask;
      const between = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (between) continue;
      keys[hole] = keys[next] as string;
      cells[hole * 2] = cells[next * 2] as number;
      cells[hole * 2 + 1] = cells[next * 2 + 1] as number;
      hole = next;
    }
    keys[hole] = '';
    cells[hole * 2 + 1] = 0;
    this.used--;
  }

  private grow(): void {
    const { keys, cells } = this;
    const capacity = keys.length * 2;
    this.keys = new Array<string>(capacity).fill('');
    this.cells = new Int32Array(capacity * 2);
    this.filter = new Uint32Array(capacity / 4);
    this.mask = capacity - 1;
    for (let old = 0; old < keys.length; old++) {
      if (cells[old * 2 + 1] === 0) continue;
      const bit = this.filterBit(cells[old * 2] as number);
      this.filter[bit >>> 5] = (this.filter[bit >>> 5] as number) | (1 << (bit & 31));
      let slot = mix32(cells[old * 2] as number) & this.mask;
      while (this.cells[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = keys[old] as string;
      this.cells[slot * 2] = cells[old * 2] as number;
      this.cells[slot * 2 + 1] = cells[old * 2 + 1] as number;
    }
  }
}

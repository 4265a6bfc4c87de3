/**
 * An open-addressing hash table whose keys are a few 32-bit words and a small tag (an IP network and
 * its prefix length, an indicator id's UUID), with one int per key: typed arrays only, so a million
 * keys cost tens of bytes each and a lookup allocates nothing. Linear probing, backward-shift
 * deletion (no tombstones), doubled when half full.
 */

export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class WordTable {
  private keys: Uint32Array;
  private tags: Uint8Array;
  private hashes: Int32Array;
  /** The value of each slot; 0 marks an empty slot, so values are never 0. */
  private values: Int32Array;
  private mask: number;
  private used = 0;

  constructor(private readonly width: 1 | 4, capacity = 16) {
    this.keys = new Uint32Array(capacity * width);
    this.tags = new Uint8Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.used;
  }

  hash(key: Uint32Array, tag: number): number {
    let h = Math.imul(tag + 1, 0x9e3779b1);
    for (let w = 4 - this.width; w < 4; w++) h = Math.imul(h ^ (key[w] as number), 0xcc9e2d51) ^ (h >>> 15);
    return mix32(h);
  }

  /** The slot holding the key (key words 4-width..3 read), or -1. */
  find(key: Uint32Array, tag: number, hash: number): number {
    const { keys, tags, hashes, values, mask, width } = this;
    const offset = 4 - width;
    for (let slot = hash & mask; values[slot] !== 0; slot = (slot + 1) & mask) {
      if (hashes[slot] !== hash || tags[slot] !== tag) continue;
      let same = true;
      for (let w = 0; w < width && same; w++) same = keys[slot * width + w] === key[offset + w];
      if (same) return slot;
    }
    return -1;
  }

  valueAt(slot: number): number {
    return this.values[slot] as number;
  }

  setAt(slot: number, value: number): void {
    this.values[slot] = value;
  }

  /** Adds a key known to be absent. */
  add(key: Uint32Array, tag: number, hash: number, value: number): void {
    if ((this.used + 1) * 2 > this.values.length) this.grow();
    const { keys, tags, hashes, values, mask, width } = this;
    let slot = hash & mask;
    while (values[slot] !== 0) slot = (slot + 1) & mask;
    for (let w = 0; w < width; w++) keys[slot * width + w] = key[4 - width + w] as number;
    tags[slot] = tag;
    hashes[slot] = hash;
    values[slot] = value;
    this.used++;
  }

  removeAt(slot: number): void {
    const { keys, tags, hashes, values, mask, width } = this;
    let hole = slot;
    for (let next = (hole + 1) & mask; values[next] !== 0; next = (next + 1) & mask) {
      const home = (hashes[next] as number) & mask;
      // An entry may move back into the hole only if its home slot is not between the hole and it.
      const between = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (between) continue;
      for (let w = 0; w < width; w++) keys[hole * width + w] = keys[next * width + w] as number;
      tags[hole] = tags[next] as number;
      hashes[hole] = hashes[next] as number;
      values[hole] = values[next] as number;
      hole = next;
    }
    values[hole] = 0;
    this.used--;
  }

  /** The key words of a slot into `out` (words 4-width..3). */
  keyAt(slot: number, out: Uint32Array): void {
    for (let w = 0; w < this.width; w++) out[4 - this.width + w] = this.keys[slot * this.width + w] as number;
  }

  private grow(): void {
    const { keys, tags, hashes, values, width } = this;
    const capacity = values.length * 2;
    this.keys = new Uint32Array(capacity * width);
    this.tags = new Uint8Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let old = 0; old < values.length; old++) {
      if (values[old] === 0) continue;
      let slot = (hashes[old] as number) & this.mask;
      while (this.values[slot] !== 0) slot = (slot + 1) & this.mask;
      for (let w = 0; w < width; w++) this.keys[slot * width + w] = keys[old * width + w] as number;
      this.tags[slot] = tags[old] as number;
      this.hashes[slot] = hashes[old] as number;
      this.values[slot] = values[old] as number;
    }
  }
}

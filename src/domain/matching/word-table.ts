/**
 * An open-addressing hash table whose keys are a few 32-bit words and a small tag (an IP network and
 * its prefix length), with one int per key: one typed array of cells, a slot's key, tag, hash and
 * value side by side, so a probe reads one cache line (a million keys do not fit in a cache) and a
 * lookup allocates nothing. Linear probing, backward-shift deletion (no tombstones), doubled when half
 * full.
 */

export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class WordTable {
  /** Per slot: `width` key words, the tag, the hash, the value (0: empty, so values are never 0). */
  private cells: Int32Array;
  private readonly stride: number;
  /**
   * Eight bits per slot, one set per key's hash (cleared only when the table grows): most look-ups
   * find nothing, and the filter, small enough to stay in a cache, says so without reading a slot.
   */
  private filter: Uint32Array;
  private mask: number;
  private used = 0;

  constructor(private readonly width: 1 | 4, capacity = 16) {
    this.stride = width === 1 ? 4 : 8;
    this.cells = new Int32Array(capacity * this.stride);
    this.filter = new Uint32Array(capacity / 4);
    this.mask = capacity - 1;
  }

  private filterBit(hash: number): number {
    return mix32(hash ^ 0x5bd1e995) & (this.mask * 8 + 7);
  }

  private setFilter(hash: number): void {
    const bit = this.filterBit(hash);
    this.filter[bit >>> 5] = (this.filter[bit >>> 5] as number) | (1 << (bit & 31));
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
    const bit = this.filterBit(hash);
    if (((this.filter[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return -1;
    const { cells, mask, width, stride } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot * stride;
      if (cells[at + width + 2] === 0) return -1;
      if (cells[at + width + 1] !== hash || cells[at + width] !== tag) continue;
      if (width === 1) {
        if (cells[at] === ((key[3] as number) | 0)) return slot;
      } else if (cells[at] === ((key[0] as number) | 0) && cells[at + 1] === ((key[1] as number) | 0) && cells[at + 2] === ((key[2] as number) | 0) && cells[at + 3] === ((key[3] as number) | 0)) {
        return slot;
      }
    }
  }

  valueAt(slot: number): number {
    return this.cells[slot * this.stride + this.width + 2] as number;
  }

  setAt(slot: number, value: number): void {
    this.cells[slot * this.stride + this.width + 2] = value;
  }

  /** Adds a key known to be absent. */
  add(key: Uint32Array, tag: number, hash: number, value: number): void {
    if ((this.used + 1) * 2 > this.mask + 1) this.grow();
    const { cells, mask, width, stride } = this;
    let slot = hash & mask;
    while (cells[slot * stride + width + 2] !== 0) slot = (slot + 1) & mask;
    const at = slot * stride;
    for (let w = 0; w < width; w++) cells[at + w] = key[4 - width + w] as number;
    cells[at + width] = tag;
    cells[at + width + 1] = hash;
    cells[at + width + 2] = value;
    this.setFilter(hash);
    this.used++;
  }

  removeAt(slot: number): void {
    const { cells, mask, width, stride } = this;
    let hole = slot;
    for (let next = (hole + 1) & mask; cells[next * stride + width + 2] !== 0; next = (next + 1) & mask) {
      const home = (cells[next * stride + width + 1] as number) & mask;
      // An entry may move back into the hole only if its home slot is not between the hole and it.
      const between = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (between) continue;
      cells.copyWithin(hole * stride, next * stride, next * stride + stride);
      hole = next;
    }
    cells[hole * stride + width + 2] = 0;
    this.used--;
  }

  private grow(): void {
    const { cells, width, stride } = this;
    const capacity = (this.mask + 1) * 2;
    this.cells = new Int32Array(capacity * stride);
    this.filter = new Uint32Array(capacity / 4);
    this.mask = capacity - 1;
    for (let old = 0; old < cells.length; old += stride) {
      if (cells[old + width + 2] === 0) continue;
      this.setFilter(cells[old + width + 1] as number);
      let slot = (cells[old + width + 1] as number) & this.mask;
      while (this.cells[slot * stride + width + 2] !== 0) slot = (slot + 1) & this.mask;
      this.cells.set(cells.subarray(old, old + stride), slot * stride);
    }
  }
}

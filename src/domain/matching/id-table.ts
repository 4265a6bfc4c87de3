import { mix32 } from './word-table';

/**
 * The indicators of the index by id: an open-addressing table of indicator numbers whose keys (the
 * 128 bits of each id's UUID) stay where the store keeps them, four words per indicator, so a million
 * ids cost the table 8 bytes a slot. Only puts and removes use it, so it may be three quarters full.
 */
export class IdTable {
  private slots = new Int32Array(16);
  private hashes = new Int32Array(16);
  private mask = 15;
  private used = 0;

  /** `keys()`: the store's words, indicator n at 4n..4n+3 (read each time: the store grows them). */
  constructor(private readonly keys: () => Uint32Array) {}

  hash(key: Uint32Array): number {
    let h = 0x9e3779b9 | 0;
    for (let w = 0; w < 4; w++) h = Math.imul(h ^ (key[w] as number), 0xcc9e2d51) ^ (h >>> 15);
    return mix32(h);
  }

  /** The indicator with this UUID, or -1. */
  find(key: Uint32Array, hash: number): number {
    const { slots, hashes, mask } = this;
    const words = this.keys();
    for (let slot = hash & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
      if (hashes[slot] !== hash) continue;
      const at = ((slots[slot] as number) - 1) * 4;
      if (words[at] === key[0] && words[at + 1] === key[1] && words[at + 2] === key[2] && words[at + 3] === key[3]) return (slots[slot] as number) - 1;
    }
    return -1;
  }

  /** Adds an indicator (whose words are stored) known to be absent. */
  add(hash: number, indicator: number): void {
    if ((this.used + 1) * 4 > this.slots.length * 3) this.grow();
    let slot = hash & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = indicator + 1;
    this.hashes[slot] = hash;
    this.used++;
  }

  remove(hash: number, indicator: number): void {
    const { slots, hashes, mask } = this;
    let hole = hash & mask;
    while (slots[hole] !== 0 && slots[hole] !== indicator + 1) hole = (hole + 1) & mask;
    if (slots[hole] === 0) return;
    for (let next = (hole + 1) & mask; slots[next] !== 0; next = (next + 1) & mask) {
      const home = (hashes[next] as number) & mask;
      const between = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (between) continue;
      slots[hole] = slots[next] as number;
      hashes[hole] = hashes[next] as number;
      hole = next;
    }
    slots[hole] = 0;
    this.used--;
  }

  private grow(): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let old = 0; old < slots.length; old++) {
      if (slots[old] === 0) continue;
      let slot = (hashes[old] as number) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = slots[old] as number;
      this.hashes[slot] = hashes[old] as number;
    }
  }
}

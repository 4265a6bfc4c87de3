/**
 * The match indexes kept in memory, one per (collection, audience, attribution), bounded by the
 * indicators they hold together: least recently used out first. An index larger than the whole
 * bound is used for the request that built it and not kept.
 */

export interface Sized {
  readonly size: number;
}

export interface MatchIndexCacheStats {
  readonly indexes: number;
  /** Indicators held by the kept indexes (as of their last use). */
  readonly indicators: number;
  readonly maxIndicators: number;
  readonly evictions: number;
}

export class MatchIndexCache<T extends Sized> {
  /** Map order is use order: the first key is the least recently used. */
  private readonly slots = new Map<string, { value: T; counted: number }>();
  private held = 0;
  private evictions = 0;

  constructor(private readonly maxIndicators: number) {}

  /** The index under `key` (marked as just used, its size counted again: it follows its collection). */
  get(key: string): T | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    this.recount(slot);
    return slot.value;
  }

  set(key: string, value: T): void {
    this.delete(key);
    if (value.size > this.maxIndicators) return;
    this.slots.set(key, { value, counted: value.size });
    this.held += value.size;
    this.evict(key);
  }

  /** Forgets the index under `key` if it is still `value` (a newer one may have replaced it). */
  drop(key: string, value: T): void {
    if (this.slots.get(key)?.value === value) this.delete(key);
  }

  /** Counts an index's size again after it changed (catch-up) and evicts others when over the bound. */
  touched(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.recount(slot);
    if (slot.value.size > this.maxIndicators) this.delete(key);
    else this.evict(key);
  }

  stats(): MatchIndexCacheStats {
    return { indexes: this.slots.size, indicators: this.held, maxIndicators: this.maxIndicators, evictions: this.evictions };
  }

  private recount(slot: { value: T; counted: number }): void {
    this.held += slot.value.size - slot.counted;
    slot.counted = slot.value.size;
  }

  private delete(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.slots.delete(key);
    this.held -= slot.counted;
  }

  /** Least recently used out until within the bound, never `keep` (the one just used). */
  private evict(keep: string): void {
    for (const key of this.slots.keys()) {
      if (this.held <= this.maxIndicators) return;
      if (key === keep) continue;
      this.delete(key);
      this.evictions += 1;
    }
  }
}

import { HASH_ALGORITHMS, INDICATOR_KINDS, type HashAlgorithm, type IndicatorKind } from '../indicators';
import type { TlpLevel } from '../tenancy';
import type { MatchEntry } from './match-types';
import { IdTable } from './id-table';

/**
 * Where the index keeps its entries compactly (a mirror holds a million): one slot per entry in typed
 * arrays, the value string, the indicator id as the 128 bits of its UUID, and what a hit prints
 * about the indicator's origin (collection, TLP, campaigns, provider) interned, shared by all the
 * entries of one origin. A MatchEntry object is made only for a hit.
 */

interface Origin {
  readonly collection: string;
  readonly tlp: TlpLevel;
  readonly campaigns: readonly string[];
  readonly provider?: string;
}

const KIND_NUMBERS = new Map<IndicatorKind, number>(INDICATOR_KINDS.map((kind, i) => [kind, i]));
const ALGORITHM_NUMBERS = new Map<HashAlgorithm, number>(HASH_ALGORITHMS.map((algorithm, i) => [algorithm, i + 1]));
/** Ids kept as 128 bits: 'indicator--' and a lower-case UUID (8-4-4-4-12 hex digits); others as given. */
const ID_PREFIX = 'indicator--';
const NONE = -1;

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function sameOrigin(a: Origin, b: Origin): boolean {
  if (a.collection !== b.collection || a.tlp !== b.tlp || a.provider !== b.provider || a.campaigns.length !== b.campaigns.length) return false;
  for (let i = 0; i < a.campaigns.length; i++) if (a.campaigns[i] !== b.campaigns[i]) return false;
  return true;
}

function grown<T extends Int32Array | Uint8Array | Int8Array | Float64Array | Uint32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}

export class MatchStore {
  // Per entry.
  private indicatorOf = new Int32Array(1024);
  /** Next entry of the same indicator, or of the free list; NONE at the end. */
  private nextOfIndicator = new Int32Array(1024);
  /** Next entry with the same key in an index table; NONE at the end. */
  nextInKey = new Int32Array(1024);
  private originOf = new Int32Array(1024);
  private kindOf = new Uint8Array(1024);
  private algorithmOf = new Uint8Array(1024);
  private confidenceOf = new Int8Array(1024);
  private validUntil = new Float64Array(1024);
  private values: string[] = [];
  private freeEntry = NONE;
  private entryCount = 0;

  // Per indicator.
  private ids = new IdTable(() => this.idWords);
  private otherIds = new Map<string, number>();
  private idWords = new Uint32Array(4 * 1024);
  private otherIdOf = new Map<number, string>();
  private firstEntry = new Int32Array(1024);
  private freeIndicator = NONE;
  private indicatorCount = 0;
  private held = 0;

  // Origins.
  private origins: Origin[] = [];
  private originNumbers = new Map<string, number[]>();
  private lastOrigin: Origin | undefined;
  private lastOriginNumber = 0;

  private readonly scratch = new Uint32Array(4);

  get size(): number {
    return this.held;
  }

  /** The UUID of 'indicator--<uuid>' into scratch; false for any other id. */
  private readId(id: string): boolean {
    if (id.length !== ID_PREFIX.length + 36 || !id.startsWith(ID_PREFIX)) return false;
    let word = 0;
    let digits = 0;
    for (let i = 0; i < 36; i++) {
      const c = id.charCodeAt(ID_PREFIX.length + i);
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        if (c !== 45) return false;
        continue;
      }
      const d = hexDigit(c);
      if (d < 0) return false;
      word = word * 16 + d;
      if (++digits % 8 === 0) {
        this.scratch[digits / 8 - 1] = word;
        word = 0;
      }
    }
    return true;
  }

  /** The indicator slot of an id, or NONE. */
  indicatorSlot(id: string): number {
    if (!this.readId(id)) return this.otherIds.get(id) ?? NONE;
    return this.ids.find(this.scratch, this.ids.hash(this.scratch));
  }

  indicatorId(indicator: number): string {
    const other = this.otherIdOf.get(indicator);
    if (other !== undefined) return other;
    const at = indicator * 4;
    const [a, b, c, d] = [0, 1, 2, 3].map((w) => ((this.idWords[at + w] as number) >>> 0).toString(16).padStart(8, '0')) as [string, string, string, string];
    const uuid = `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
    return ID_PREFIX + uuid;
  }

  /** Takes a slot for a new indicator (not held yet). */
  addIndicator(id: string): number {
    let indicator = this.freeIndicator;
    if (indicator !== NONE) this.freeIndicator = this.firstEntry[indicator] as number;
    else {
      indicator = this.indicatorCount++;
      if (indicator >= this.firstEntry.length) {
        this.firstEntry = grown(this.firstEntry, this.firstEntry.length * 2);
        this.idWords = grown(this.idWords, this.firstEntry.length * 4);
      }
    }
    this.firstEntry[indicator] = NONE;
    if (this.readId(id)) {
      this.idWords.set(this.scratch, indicator * 4);
      this.ids.add(this.ids.hash(this.scratch), indicator);
    } else {
      this.otherIds.set(id, indicator);
      this.otherIdOf.set(indicator, id);
    }
    this.held++;
    return indicator;
  }

  /** Frees an indicator whose entries were all freed. */
  dropIndicator(indicator: number): void {
    const other = this.otherIdOf.get(indicator);
    if (other !== undefined) {
      this.otherIds.delete(other);
      this.otherIdOf.delete(indicator);
    } else {
      this.idWords.subarray(indicator * 4, indicator * 4 + 4).forEach((word, w) => (this.scratch[w] = word));
      this.ids.remove(this.ids.hash(this.scratch), indicator);
    }
    this.firstEntry[indicator] = this.freeIndicator;
    this.freeIndicator = indicator;
    this.held--;
  }

  firstEntryOf(indicator: number): number {
    return this.firstEntry[indicator] as number;
  }

  nextEntryOf(entry: number): number {
    return this.nextOfIndicator[entry] as number;
  }

  private originNumber(entry: MatchEntry): number {
    const last = this.lastOrigin;
    if (last !== undefined && sameOrigin(last, entry)) return this.lastOriginNumber;
    // Few origins per collection: compared field by field rather than keyed by a string made per entry.
    let candidates = this.originNumbers.get(entry.collection);
    if (candidates === undefined) this.originNumbers.set(entry.collection, (candidates = []));
    let number = candidates.find((n) => sameOrigin(this.origins[n] as Origin, entry));
    if (number === undefined) {
      number = this.origins.length;
      const campaigns = Object.freeze([...entry.campaigns]);
      this.origins.push(entry.provider === undefined ? { collection: entry.collection, tlp: entry.tlp, campaigns } : { collection: entry.collection, tlp: entry.tlp, campaigns, provider: entry.provider });
      candidates.push(number);
    }
    this.lastOrigin = this.origins[number];
    this.lastOriginNumber = number;
    return number;
  }

  /** Stores an entry of an indicator; its key links (nextInKey) are the caller's. */
  addEntry(indicator: number, entry: MatchEntry): number {
    let slot = this.freeEntry;
    if (slot !== NONE) this.freeEntry = this.nextOfIndicator[slot] as number;
    else {
      slot = this.entryCount++;
      if (slot >= this.indicatorOf.length) this.growEntries();
    }
    this.indicatorOf[slot] = indicator;
    this.nextOfIndicator[slot] = this.firstEntry[indicator] as number;
    this.firstEntry[indicator] = slot;
    this.nextInKey[slot] = NONE;
    this.originOf[slot] = this.originNumber(entry);
    this.kindOf[slot] = KIND_NUMBERS.get(entry.kind) ?? 0;
    this.algorithmOf[slot] = entry.algorithm === undefined ? 0 : (ALGORITHM_NUMBERS.get(entry.algorithm) ?? 0);
    const { confidence } = entry;
    this.confidenceOf[slot] = confidence !== undefined && Number.isInteger(confidence) && confidence >= 0 && confidence <= 100 ? confidence : -1;
    this.validUntil[slot] = typeof entry.validUntilMicros === 'number' && !Number.isNaN(entry.validUntilMicros) ? entry.validUntilMicros : Infinity;
    this.values[slot] = entry.value;
    return slot;
  }

  /** Frees every entry of an indicator (unlinked from the tables by the caller first). */
  freeEntries(indicator: number): void {
    let entry = this.firstEntry[indicator] as number;
    while (entry !== NONE) {
      const next = this.nextOfIndicator[entry] as number;
      this.values[entry] = '';
      this.nextOfIndicator[entry] = this.freeEntry;
      this.freeEntry = entry;
      entry = next;
    }
    this.firstEntry[indicator] = NONE;
  }

  kind(entry: number): IndicatorKind {
    return INDICATOR_KINDS[this.kindOf[entry] as number] as IndicatorKind;
  }

  value(entry: number): string {
    return this.values[entry] as string;
  }

  /** Whether an entry still matches at `nowMicros`. */
  live(entry: number, nowMicros: number): boolean {
    return (this.validUntil[entry] as number) > nowMicros;
  }

  /** The entry as the index was given it (a new object: made only for a hit). */
  entry(entry: number): MatchEntry {
    const origin = this.origins[this.originOf[entry] as number] as Origin;
    const algorithm = this.algorithmOf[entry] as number;
    const confidence = this.confidenceOf[entry] as number;
    const validUntilMicros = this.validUntil[entry] as number;
    return {
      indicatorId: this.indicatorId(this.indicatorOf[entry] as number),
      kind: this.kind(entry),
      value: this.values[entry] as string,
      ...(algorithm === 0 ? {} : { algorithm: HASH_ALGORITHMS[algorithm - 1] as HashAlgorithm }),
      ...origin,
      ...(validUntilMicros === Infinity ? {} : { validUntilMicros }),
      ...(confidence < 0 ? {} : { confidence }),
    };
  }

  private growEntries(): void {
    const length = this.indicatorOf.length * 2;
    this.indicatorOf = grown(this.indicatorOf, length);
    this.nextOfIndicator = grown(this.nextOfIndicator, length);
    this.nextInKey = grown(this.nextInKey, length);
    this.originOf = grown(this.originOf, length);
    this.kindOf = grown(this.kindOf, length);
    this.algorithmOf = grown(this.algorithmOf, length);
    this.confidenceOf = grown(this.confidenceOf, length);
    this.validUntil = grown(this.validUntil, length);
  }
}

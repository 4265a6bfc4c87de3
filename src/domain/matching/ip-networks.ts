import { WordTable } from './word-table';

/**
 * The IP networks of the index (a single address is a network of 32 or 128 bits) in a word table
 * keyed by address bits and prefix length. An address is looked up once per prefix length that could
 * hold it: for IPv4, the lengths from /16 to /32 are counted per /16 block (a bitmask per block
 * says which to probe, so a million entries spread over the address space cost a probe or three per
 * address, not one per length held), and the few shorter lengths are probed for every address.
 */

const BLOCKS = 65_536;
const LONG = 17; // /16 .. /32

export class IpNetworks {
  readonly table: WordTable;
  /** Keys per prefix length over all the table (IPv4: lengths below 16 only). */
  private readonly keysPerLength: Int32Array;
  /** The prefix lengths probed for every address, longest first (IPv4: below 16 only). */
  lengths = new Int32Array(0);
  /** IPv4: keys per (/16 block, length 16..32), and per block a bitmask of the lengths with keys (bit 0 = /16). */
  private blockKeys: Int32Array | undefined;
  private blockMasks: Uint32Array | undefined;
  /**
   * IPv4: a bit per /24 with a key of length 24..32 in it (2 MB, which a cache keeps better than the
   * table): most addresses of a busy /16 block need no probe at those lengths.
   */
  private fine: Uint32Array | undefined;
  private readonly probe = new Uint32Array(4);

  constructor(readonly bits: 32 | 128) {
    this.table = new WordTable(bits === 32 ? 1 : 4);
    this.keysPerLength = new Int32Array(bits + 1);
  }

  /** A key (network in word 3 for IPv4) of a prefix length was added (1) or removed (-1). */
  counted(network: Uint32Array, length: number, delta: 1 | -1): void {
    if (this.bits === 32 && length >= 16) {
      this.blockKeys ??= new Int32Array(BLOCKS * LONG);
      this.blockMasks ??= new Uint32Array(BLOCKS);
      // A network shorter than its /16 block does not exist here (length >= 16): one block holds it.
      const block = (network[3] as number) >>> 16;
      const at = block * LONG + (length - 16);
      const before = this.blockKeys[at] as number;
      this.blockKeys[at] = before + delta;
      if (length >= 24) this.countedFine(network, delta);
      if (before + delta === 0) this.blockMasks[block] = ((this.blockMasks[block] as number) & ~(1 << (length - 16))) >>> 0;
      else if (before === 0) this.blockMasks[block] = ((this.blockMasks[block] as number) | (1 << (length - 16))) >>> 0;
      return;
    }
    const before = this.keysPerLength[length] as number;
    this.keysPerLength[length] = before + delta;
    if (before === 0 || before + delta === 0) {
      const present: number[] = [];
      for (let l = this.bits; l >= 0; l--) if ((this.keysPerLength[l] as number) > 0) present.push(l);
      this.lengths = Int32Array.from(present);
    }
  }

  /** Sets the /24 bit of a network of length >= 24 added, or clears it when its /24 holds no such key any more. */
  private countedFine(network: Uint32Array, delta: 1 | -1): void {
    this.fine ??= new Uint32Array(1 << 19);
    const slash24 = (network[3] as number) >>> 8;
    if (delta === 1) {
      this.fine[slash24 >>> 5] = ((this.fine[slash24 >>> 5] as number) | (1 << (slash24 & 31))) >>> 0;
      return;
    }
    // Removals are rare: look for any key left in the /24, at each length its block holds.
    const mask = this.blockMask(network);
    for (let length = 24; length <= 32; length++) {
      if ((mask & (1 << (length - 16))) === 0) continue;
      for (let n = 0; n < 2 ** (length - 24); n++) {
        this.probe[3] = ((slash24 << 8) | (n << (32 - length))) >>> 0;
        if (this.table.find(this.probe, length, this.table.hash(this.probe, length)) >= 0) return;
      }
    }
    this.fine[slash24 >>> 5] = ((this.fine[slash24 >>> 5] as number) & ~(1 << (slash24 & 31))) >>> 0;
  }

  /** IPv4: whether the /24 of the address in words[3] may hold a key of length 24..32. */
  fineHas(words: Uint32Array): boolean {
    if (this.fine === undefined) return false;
    const slash24 = (words[3] as number) >>> 8;
    return ((this.fine[slash24 >>> 5] as number) & (1 << (slash24 & 31))) !== 0;
  }

  /**
   * IPv4: the bitmask of lengths 16..32 (bit n = /16+n) with keys in the /16 block of the address in
   * words[3] (read there: an address above 2^30 passed as an argument would be boxed on the heap).
   */
  blockMask(words: Uint32Array): number {
    return this.blockMasks === undefined ? 0 : (this.blockMasks[(words[3] as number) >>> 16] as number);
  }
}

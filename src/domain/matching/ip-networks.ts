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

  /**
   * IPv4: the bitmask of lengths 16..32 (bit n = /16+n) with keys in the /16 block of the address in
   * words[3] (read there: an address above 2^30 passed as an argument would be boxed on the heap).
   */
  blockMask(words: Uint32Array): number {
    return this.blockMasks === undefined ? 0 : (this.blockMasks[(words[3] as number) >>> 16] as number);
  }
}

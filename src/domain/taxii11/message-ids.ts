import type { TaxiiVersion } from './taxii-identifiers';

/**
 * Message ids: TAXII 1.1 takes any URI (the hub uses uuid4 strings, as libtaxii does);
 * TAXII 1.0 takes only a string of digits (the 1.0 XSD's UnsignedIntegerType). The caller makes
 * the uuid; these functions stay pure.
 */

export function isTaxii10MessageId(id: string): boolean {
  return /^[0-9]+$/.test(id);
}

/**
 * The message id to send in `version` for a fresh uuid: the uuid itself in 1.1, its 128 bits as a
 * decimal number in 1.0 (still unique, and valid there).
 */
export function messageIdFor(version: TaxiiVersion, uuid: string): string {
  if (version === '1.1') return uuid;
  const hex = uuid.replace(/[^0-9a-fA-F]/g, '');
  return hex === '' ? '0' : BigInt(`0x${hex}`).toString(10);
}

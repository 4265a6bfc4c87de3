import { hashAlgorithm, HASH_HEX_LENGTHS, normaliseHash } from '../indicators/file-hash';
import { HASH_ALGORITHMS } from '../indicators/indicator-kinds';

/**
 * Hash lists: digests compared as lower-case hex. Digests of different algorithms never collide in
 * practice (and mostly differ in length), so a value is looked up without its algorithm.
 */

export interface ListedHash {
  readonly digest: string;
  readonly reason: string;
}

const LENGTHS = new Set(Object.values(HASH_HEX_LENGTHS));

/** A list entry: a digest, checked against its algorithm when the entry names one. */
export function listedHash(text: string, reason: string, algorithmName?: string): { ok: true; hash: ListedHash } | { ok: false; message: string } {
  const digest = text.trim();
  if (algorithmName !== undefined) {
    const algorithm = hashAlgorithm(algorithmName);
    if (!algorithm.ok) return { ok: false, message: `algorithm ${algorithm.message}` };
    const checked = normaliseHash(algorithm.value, digest);
    return checked.ok ? { ok: true, hash: { digest: checked.value, reason } } : { ok: false, message: checked.message };
  }
  if (!/^[0-9a-fA-F]+$/.test(digest) || !LENGTHS.has(digest.length)) {
    return { ok: false, message: `'${digest}' is not a digest in hex of one of ${HASH_ALGORITHMS.join(', ')}` };
  }
  return { ok: true, hash: { digest: digest.toLowerCase(), reason } };
}

/** The hex digest of a stored hash value: the digest itself, or the part after `ALGORITHM:`. */
export function digestOf(value: string): string {
  const colon = value.lastIndexOf(':');
  return (colon < 0 ? value : value.slice(colon + 1)).trim().toLowerCase();
}

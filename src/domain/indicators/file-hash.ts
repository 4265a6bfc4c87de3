import { HASH_ALGORITHMS, type HashAlgorithm, type ValueCheck } from './indicator-kinds';
import { quoted } from './value-display';

/** File hashes: a STIX 2.1 hashing-algorithm-ov name and the digest in lower-case hex. */

export const HASH_HEX_LENGTHS: Readonly<Record<HashAlgorithm, number>> = Object.freeze({
  MD5: 32,
  'SHA-1': 40,
  'SHA-256': 64,
  'SHA-512': 128,
  'SHA3-256': 64,
  'SHA3-512': 128,
});

const ACCEPTED_NAMES = `one of ${HASH_ALGORITHMS.join(', ')}`;

/** The canonical name for `sha256`, `SHA-256`, `Sha3-256`, `SHA3256`...: case-insensitive, the hyphen optional. */
export function hashAlgorithm(given: string): ValueCheck<HashAlgorithm> {
  const name = given.trim().toUpperCase();
  if (name === '') return { ok: false, message: `is empty; send ${ACCEPTED_NAMES}` };
  const found = HASH_ALGORITHMS.find((algorithm) => name === algorithm || name === algorithm.replace('-', ''));
  if (found === undefined) return { ok: false, message: `${quoted(given)} is not an accepted hash algorithm; send ${ACCEPTED_NAMES}` };
  return { ok: true, value: found };
}

function lengthHint(algorithm: HashAlgorithm, length: number): string {
  const fitting = HASH_ALGORITHMS.filter((other) => other !== algorithm && HASH_HEX_LENGTHS[other] === length);
  if (fitting.length === 0) return '';
  return ` (that is the length of ${fitting[0] === 'MD5' ? 'an' : 'a'} ${fitting.join(' or ')})`;
}

/** Checks a digest against its algorithm; `text` is already trimmed. */
export function normaliseHash(algorithm: HashAlgorithm, text: string): ValueCheck<string> {
  const expected = HASH_HEX_LENGTHS[algorithm];
  if (text === '') return { ok: false, message: `is empty; send the ${algorithm} digest as ${expected} hex digits` };
  if (/^0x/i.test(text)) return { ok: false, message: `starts with '0x'; send the ${expected} hex digits without a prefix` };
  const stray = /[^0-9A-Fa-f]/u.exec(text);
  if (stray) {
    return { ok: false, message: `contains ${quoted(stray[0])} at position ${stray.index}, which is not a hex digit; send the digest in hex (0-9, a-f)` };
  }
  if (text.length !== expected) {
    return { ok: false, message: `${algorithm} is ${expected} hex digits, got ${text.length}${lengthHint(algorithm, text.length)}` };
  }
  return { ok: true, value: text.toLowerCase() };
}

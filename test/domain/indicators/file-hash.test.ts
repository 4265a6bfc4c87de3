import { normaliseIndicator } from '../../../src/domain/indicators';
import { accepted, expectInvalid, VALID_HASHES, type InvalidRow } from './indicator-tables';

const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';

const INVALID_SHA256_VALUES: readonly InvalidRow[] = [
  ['', 'is empty; send the SHA-256 digest as 64 hex digits'],
  [SHA1, 'SHA-256 is 64 hex digits, got 40 (that is the length of a SHA-1)'],
  ['d41d8cd98f00b204e9800998ecf8427e', 'got 32 (that is the length of an MD5)'],
  ['ab'.repeat(64), 'got 128 (that is the length of a SHA-512 or SHA3-512)'],
  ['ab'.repeat(31), 'SHA-256 is 64 hex digits, got 62'],
  [`0x${'ab'.repeat(32)}`, "starts with '0x'"],
  [`${'ab'.repeat(31)}zz`, "contains 'z' at position 62, which is not a hex digit"],
  [`${'ab'.repeat(16)} ${'ab'.repeat(16)}`, "contains ' '"],
  [`${'ab'.repeat(16)}:${'ab'.repeat(16)}`, "contains ':'"],
  ['ＡＢ'.repeat(32), "contains 'Ａ'"],
];

describe('file-hash', () => {
  test.each(VALID_HASHES)('algorithm %j with value %j is accepted as %s %s', (algorithm, value, canonicalAlgorithm, canonical) => {
    expect(accepted({ kind: 'file-hash', value, algorithm })).toMatchObject({ algorithm: canonicalAlgorithm, value: canonical });
  });
  expectInvalid('file-hash', INVALID_SHA256_VALUES, 'sha256');
});

test.each([
  [undefined, 'is required for kind file-hash; send one of MD5, SHA-1, SHA-256, SHA-512, SHA3-256, SHA3-512'],
  ['', 'is empty'],
  ['SHA-384', "'SHA-384' is not an accepted hash algorithm; send one of MD5"],
  ['ssdeep', 'is not an accepted hash algorithm'],
  ['SHA_256', 'is not an accepted hash algorithm'],
  ['SHA-3-256', 'is not an accepted hash algorithm'],
  ['sha2', 'is not an accepted hash algorithm'],
])('file-hash with algorithm %j is refused on the algorithm field, saying %j', (algorithm, fragment) => {
  const result = normaliseIndicator({ kind: 'file-hash', value: SHA1, ...(algorithm === undefined ? {} : { algorithm }) });
  expect(result).toMatchObject({ ok: false, field: 'algorithm', message: expect.stringContaining(fragment) });
});

test('a hash pattern quotes the algorithm as a property name', () => {
  expect(accepted({ kind: 'file-hash', algorithm: 'sha256', value: '9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08' })).toEqual({
    kind: 'file-hash',
    algorithm: 'SHA-256',
    value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    pattern: "[file:hashes.'SHA-256' = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08']",
    observableType: 'file',
    label: 'SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  });
  expect(accepted({ kind: 'file-hash', algorithm: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }).pattern).toBe(
    "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']",
  );
});

test('a SHA-512 label is cut to 80 characters', () => {
  const label = accepted({ kind: 'file-hash', algorithm: 'SHA-512', value: 'ab'.repeat(64) }).label;
  expect(Array.from(label)).toHaveLength(80);
  expect(label).toBe(`SHA-512 ${'ab'.repeat(64).slice(0, 71)}…`);
});

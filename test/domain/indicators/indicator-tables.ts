import { normaliseIndicator, type IndicatorInput, type IndicatorKind, type NormalisedIndicator } from '../../../src/domain/indicators';

/**
 * Tables shared by the indicator tests: each kind's test file states its valid and invalid values
 * here, and the idempotence test runs over every valid table.
 */

/** [value as submitted, canonical value]. */
export type ValidRow = readonly [string, string];
/** [value as submitted, fragment of the message]; the field is 'value'. */
export type InvalidRow = readonly [string, string];

export function accepted(input: IndicatorInput): NormalisedIndicator {
  const result = normaliseIndicator(input);
  if (!result.ok) throw new Error(`refused ${JSON.stringify(input)}: ${result.field}: ${result.message}`);
  return result.indicator;
}

export function expectValid(kind: IndicatorKind, rows: readonly ValidRow[], algorithm?: string): void {
  test.each(rows)(`${kind} %j is accepted as %j`, (value, canonical) => {
    expect(accepted({ kind, value, ...(algorithm === undefined ? {} : { algorithm }) }).value).toBe(canonical);
  });
}

export function expectInvalid(kind: IndicatorKind, rows: readonly InvalidRow[], algorithm?: string): void {
  test.each(rows)(`${kind} %j is refused, saying %j`, (value, fragment) => {
    const result = normaliseIndicator({ kind, value, ...(algorithm === undefined ? {} : { algorithm }) });
    expect(result).toMatchObject({ ok: false, field: 'value' });
    if (!result.ok) expect(result.message).toContain(fragment);
  });
}

export const VALID_IPS: readonly ValidRow[] = [
  ['198.51.100.7', '198.51.100.7'],
  ['  198.51.100.7\n', '198.51.100.7'],
  ['0.0.0.0', '0.0.0.0'],
  ['255.255.255.255', '255.255.255.255'],
  ['198.51.100.0/24', '198.51.100.0/24'],
  ['198.51.100.7/32', '198.51.100.7'],
  ['0.0.0.0/0', '0.0.0.0/0'],
  ['10.0.0.0/8', '10.0.0.0/8'],
  ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
  ['2001:DB8::1', '2001:db8::1'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
  ['2001:db8::1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
  ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
  ['::', '::'],
  ['0:0:0:0:0:0:0:1', '::1'],
  ['1::', '1::'],
  ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
  ['::FFFF:c000:0201', '::ffff:192.0.2.1'],
  ['0:0:0:0:0:ffff:192.0.2.1', '::ffff:192.0.2.1'],
  ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ['2001:db8::/32', '2001:db8::/32'],
  ['2001:db8:0:0:0:0:0:1/128', '2001:db8::1'],
  ['2001:DB8:ABCD:0012:0000:0000:0000:0000/64', '2001:db8:abcd:12::/64'],
  ['::/0', '::/0'],
];

export const VALID_HOST_NAMES: readonly ValidRow[] = [
  ['c2.example.com', 'c2.example.com'],
  ['C2.Example.COM', 'c2.example.com'],
  [' evil.example.net. ', 'evil.example.net'],
  ['bücher.example', 'xn--bcher-kva.example'],
  ['BÜCHER.example', 'xn--bcher-kva.example'],
  ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ['_dmarc.example.org', '_dmarc.example.org'],
  ['a-b.example', 'a-b.example'],
  ['3com.example', '3com.example'],
  ['1.2.3.example', '1.2.3.example'],
  ['ab--cd.example', 'ab--cd.example'],
  [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`],
  ['ＥＸＡＭＰＬＥ.com', 'example.com'],
];

export const VALID_URLS: readonly ValidRow[] = [
  ['HTTP://Example.COM:80/a%7e%2fb', 'http://example.com/a~%2Fb'],
  ['https://example.com', 'https://example.com/'],
  ['https://example.com:443/', 'https://example.com/'],
  ['https://example.com:8443/login?next=%2fhome#top', 'https://example.com:8443/login?next=%2Fhome#top'],
  ['http://bücher.example/pfad', 'http://xn--bcher-kva.example/pfad'],
  ['http://example.com/%c3%bc?q=%41%42%2d%5f', 'http://example.com/%C3%BC?q=AB-_'],
  ['http://example.com/ü', 'http://example.com/%C3%BC'],
  ['http://example.com/a/./b/../c', 'http://example.com/a/c'],
  ['http://example.com/page#frag%7e', 'http://example.com/page#frag~'],
  ['http://[2001:DB8:0::1]:8080/x', 'http://[2001:db8::1]:8080/x'],
  ['http://198.51.100.7/gate.php', 'http://198.51.100.7/gate.php'],
  ['ftp://files.example.com:21/pub/x.exe', 'ftp://files.example.com/pub/x.exe'],
  ['ftps://Files.Example.com:990/x', 'ftps://files.example.com/x'],
  ['ftps://files.example.com:21/x', 'ftps://files.example.com:21/x'],
  ['ws://example.com:80/socket', 'ws://example.com/socket'],
  ['WSS://example.com:443', 'wss://example.com/'],
  ['http://user:pa%73s@example.com/', 'http://user:pass@example.com/'],
  ['http://example.com/100%', 'http://example.com/100%'],
];

export const VALID_SENDERS: readonly ValidRow[] = [
  ['eve@example.com', 'eve@example.com'],
  ['  Eve.Smith@Example.COM ', 'Eve.Smith@example.com'],
  ['billing+urgent@example.com', 'billing+urgent@example.com'],
  ["o'brien@example.ie", "o'brien@example.ie"],
  ['a!#$%&*/=?^_`{|}~-z@example.com', 'a!#$%&*/=?^_`{|}~-z@example.com'],
  ['info@bücher.example', 'info@xn--bcher-kva.example'],
  ['info@example.com.', 'info@example.com'],
  [`${'x'.repeat(64)}@example.com`, `${'x'.repeat(64)}@example.com`],
  ['x@mail.example.co.uk', 'x@mail.example.co.uk'],
  ['no-reply@_bounce.example', 'no-reply@_bounce.example'],
];

export const VALID_SUBJECTS: readonly ValidRow[] = [
  ['Invoice 4711', 'Invoice 4711'],
  ['  padded subject  ', '  padded subject  '],
  ["It's \\urgent\\ 'now'", "It's \\urgent\\ 'now'"],
  ['RE: Your Account', 'RE: Your Account'],
  ['Rechnung für März', 'Rechnung für März'],
  ['tab\tseparated', 'tab\tseparated'],
  ['x', 'x'],
  ['x'.repeat(998), 'x'.repeat(998)],
  ['😀'.repeat(998), '😀'.repeat(998)],
  ['[file:name = \'a\']', "[file:name = 'a']"],
];

export const VALID_ATTACHMENT_NAMES: readonly ValidRow[] = [
  ['invoice.pdf.exe', 'invoice.pdf.exe'],
  [' Invoice.PDF ', ' Invoice.PDF '],
  ["Rechnung 'März'.docm", "Rechnung 'März'.docm"],
  ['a', 'a'],
  ['x'.repeat(255), 'x'.repeat(255)],
  ['no extension', 'no extension'],
  ['.hidden', '.hidden'],
  ['report\u202Egpj.exe', 'report\u202Egpj.exe'],
  ['payload (1).zip', 'payload (1).zip'],
  ['%41.txt', '%41.txt'],
];

const SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** [algorithm as submitted, value as submitted, canonical algorithm, canonical value]. */
export const VALID_HASHES: readonly (readonly [string, string, string, string])[] = [
  ['SHA-256', SHA256, 'SHA-256', SHA256],
  ['sha256', SHA256.toUpperCase(), 'SHA-256', SHA256],
  ['Sha-256', ` ${SHA256}\t`, 'SHA-256', SHA256],
  ['md5', 'D41D8CD98F00B204E9800998ECF8427E', 'MD5', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['MD5', 'd41d8cd98f00b204e9800998ecf8427e', 'MD5', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 'SHA-1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['SHA-1', 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', 'SHA-1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['sha512', 'ab'.repeat(64), 'SHA-512', 'ab'.repeat(64)],
  ['sha3-256', 'CD'.repeat(32), 'SHA3-256', 'cd'.repeat(32)],
  ['SHA3256', 'cd'.repeat(32), 'SHA3-256', 'cd'.repeat(32)],
  ['sha3-512', 'ef'.repeat(64), 'SHA3-512', 'ef'.repeat(64)],
  [' SHA-512 ', '01'.repeat(64), 'SHA-512', '01'.repeat(64)],
];

/** Every valid value of every kind, for the properties that hold across kinds. */
export const ALL_VALID: readonly (readonly [IndicatorInput, string])[] = [
  ...VALID_IPS.flatMap(([value, canonical]) => [
    [{ kind: 'c2-ip', value }, canonical] as const,
    [{ kind: 'email-sender-ip', value }, canonical] as const,
  ]),
  ...VALID_HOST_NAMES.map(([value, canonical]) => [{ kind: 'c2-hostname', value }, canonical] as const),
  ...VALID_URLS.map(([value, canonical]) => [{ kind: 'url', value }, canonical] as const),
  ...VALID_SENDERS.map(([value, canonical]) => [{ kind: 'email-from', value }, canonical] as const),
  ...VALID_SUBJECTS.map(([value, canonical]) => [{ kind: 'email-subject', value }, canonical] as const),
  ...VALID_ATTACHMENT_NAMES.map(([value, canonical]) => [{ kind: 'email-attachment-name', value }, canonical] as const),
  ...VALID_HASHES.map(([algorithm, value, , canonical]) => [{ kind: 'file-hash', value, algorithm }, canonical] as const),
];

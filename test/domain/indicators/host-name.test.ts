import { normaliseIndicator } from '../../../src/domain/indicators';
import { accepted, expectInvalid, expectValid, VALID_HOST_NAMES, type InvalidRow } from './indicator-tables';

const INVALID_HOST_NAMES: readonly InvalidRow[] = [
  ['', 'is empty'],
  ['198.51.100.7', 'is an IP address; use kind c2-ip'],
  ['198.51.100.7.', 'is an IP address; use kind c2-ip'],
  ['2001:db8::1', 'is an IP address; use kind c2-ip'],
  ['[2001:db8::1]', 'is an IP address; use kind c2-ip'],
  ['010.0.0.1', 'is an IP address; use kind c2-ip'],
  ['0x7f.1', 'is an IP address (127.0.0.1); use kind c2-ip'],
  ['localhost', 'is a single label'],
  ['example.123', "ends in the all-digit label '123'"],
  ['-evil.example', "that starts or ends with '-'"],
  ['evil-.example', "that starts or ends with '-'"],
  ['a..example', 'has an empty label'],
  ['.example.com', 'has an empty label'],
  ['example.com..', 'has an empty label'],
  ['*.example.com', "contains '*': wildcards are not accepted"],
  ['[evil.example]', "contains '['"],
  ['evil example.com', 'contains whitespace (U+0020)'],
  ['evil\texample.com', 'control character U+0009'],
  ['ex%41mple.com', "contains '%'"],
  ['http://example.com', "contains ':'; a host name has only letters, digits, '-', '_' and '.'; send only the host name, not a URL"],
  ['example.com/path', "contains '/'"],
  ['example.com?x', "contains '?'"],
  ['example.com\\x', "contains '\\'"],
  ['a(1).example', "contains '('"],
  ['a⑴.example', "has a label 'a(1)' with characters other than letters"],
  ['example.com／path', 'cannot be converted'],
  ['xn--zz.example', 'cannot be converted'],
  [`${'a'.repeat(64)}.example`, 'has a label of 64 characters'],
  [`${Array.from({ length: 5 }, () => 'a'.repeat(63)).join('.')}.example`, 'a host name has at most 253'],
];

describe('c2-hostname', () => {
  expectValid('c2-hostname', VALID_HOST_NAMES);
  expectInvalid('c2-hostname', INVALID_HOST_NAMES);
});

test('an internationalised host name is written in punycode', () => {
  expect(accepted({ kind: 'c2-hostname', value: 'bücher.example' })).toEqual({
    kind: 'c2-hostname',
    value: 'xn--bcher-kva.example',
    pattern: "[domain-name:value = 'xn--bcher-kva.example']",
    observableType: 'domain-name',
    label: 'C2 host xn--bcher-kva.example',
  });
});

test('a host name of 253 characters is accepted', () => {
  const name = `${Array.from({ length: 3 }, () => 'a'.repeat(63)).join('.')}.${'b'.repeat(61)}`;
  expect(name).toHaveLength(253);
  expect(accepted({ kind: 'c2-hostname', value: name }).value).toBe(name);
});

test('a host name with a NUL is refused, naming U+0000', () => {
  expect(normaliseIndicator({ kind: 'c2-hostname', value: 'evil.example\u0000.com' })).toMatchObject({
    ok: false,
    field: 'value',
    message: expect.stringContaining('U+0000'),
  });
});

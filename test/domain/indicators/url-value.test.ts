import { accepted, expectInvalid, expectValid, VALID_URLS, type InvalidRow } from './indicator-tables';

const INVALID_URLS: readonly InvalidRow[] = [
  ['', 'is empty'],
  ['example.com/path', 'has no scheme; send an absolute URL such as http://example.com/path'],
  ['example.com:8080/path', 'has no scheme'],
  ['//example.com/', 'has no scheme'],
  ['javascript:alert(1)', "scheme 'javascript' is not accepted"],
  ['file:///etc/passwd', "scheme 'file' is not accepted"],
  ['mailto:eve@example.com', "scheme 'mailto' is not accepted"],
  ['http://exa mple.com/', 'contains U+0020 at position 10'],
  ['http://example.com/a b', 'percent-encode them, e.g. %20 for a space'],
  ['http://example.com/\tx', 'contains U+0009'],
  ['http://example.com/\u0085', 'contains U+0085'],
  ['http://', 'is not a valid URL'],
  ['http://example.com:99999/', 'is not a valid URL'],
  ['http://[2001:db8::1/', 'is not a valid URL'],
  ['ftps://files.example.com:99999/', 'is not a valid URL'],
  ['https://exa<mple.com/', 'is not a valid URL'],
  [`http://example.com/${'a'.repeat(4100)}`, 'a URL indicator has at most 4096'],
  [`http://example.com/${'%C3%BC'.repeat(683)}`, 'a URL indicator has at most 4096'],
];

describe('url', () => {
  expectValid('url', VALID_URLS);
  expectInvalid('url', INVALID_URLS);
});

test('a URL has its scheme and host lower-cased, its default port removed and its escapes normalised', () => {
  expect(accepted({ kind: 'url', value: 'HTTP://Example.COM:80/a%7e%2fb' })).toEqual({
    kind: 'url',
    value: 'http://example.com/a~%2Fb',
    pattern: "[url:value = 'http://example.com/a~%2Fb']",
    observableType: 'url',
    label: 'URL http://example.com/a~%2Fb',
  });
});

test('a URL with a quote is written into its pattern escaped', () => {
  expect(accepted({ kind: 'url', value: "http://example.com/it's" }).pattern).toBe("[url:value = 'http://example.com/it\\'s']");
  expect(accepted({ kind: 'url', value: "http://example.com/#it's" }).pattern).toBe("[url:value = 'http://example.com/#it\\'s']");
});

test('a URL of exactly 4096 characters is accepted', () => {
  const url = `http://example.com/${'a'.repeat(4096 - 'http://example.com/'.length)}`;
  expect(accepted({ kind: 'url', value: url }).value).toBe(url);
});

test('a long URL has a label of at most 80 characters ending in an ellipsis', () => {
  const label = accepted({ kind: 'url', value: `https://example.com/${'x'.repeat(200)}` }).label;
  expect(Array.from(label)).toHaveLength(80);
  expect(label).toMatch(/^URL https:\/\/example\.com\/x+…$/);
});

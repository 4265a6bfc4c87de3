import fc from 'fast-check';
import { MAX_JSON_DEPTH, scanJsonText } from '../../../src/http/body/json-text-scan';

/** The scan before JSON.parse: what it refuses, where it says the problem is, and what it lets through. */

const issueOf = (text: string, maxDepth?: number) => {
  const scan = scanJsonText(text, maxDepth);
  return scan.ok ? undefined : scan.issue;
};

describe('nesting', () => {
  test.each([
    ['arrays', (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`],
    ['objects', (n: number) => `${'{"k":'.repeat(n - 1)}{}${'}'.repeat(n - 1)}`],
  ])('%s: exactly the limit passes, one level more is refused', (_name, nest) => {
    expect(issueOf(nest(MAX_JSON_DEPTH))).toBeUndefined();
    expect(issueOf(nest(MAX_JSON_DEPTH + 1))).toMatchObject({ kind: 'too-deep', limit: MAX_JSON_DEPTH });
  });

  test('the place is the path to the container past the limit, cut to 100 characters', () => {
    expect(issueOf('{"a": [{"b": [[[]]]}]}', 5)).toEqual({ kind: 'too-deep', path: 'a[0].b[0][0]', limit: 5 });
    const deep = issueOf(`{"objects": [${'['.repeat(200)}${']'.repeat(200)}]}`);
    expect(deep?.path).toHaveLength(100);
    expect(deep?.path.startsWith('objects[0][0][0]')).toBe(true);
    expect(deep?.path.endsWith('…')).toBe(true);
  });

  test('brackets inside strings do not count', () => {
    expect(issueOf(JSON.stringify({ a: '['.repeat(500), b: '{'.repeat(500) }))).toBeUndefined();
  });
});

describe('repeated keys', () => {
  test.each([
    ['the same key twice', '{"a": 1, "a": 2}', 'a', '(root)'],
    ['written once plainly, once escaped', '{"a": 1, "\\u0061": 2}', 'a', '(root)'],
    ['both escaped', '{"\\"q\\"": 1, "\\"q\\"": 2}', '"q"', '(root)'],
    ['in an object with more keys than the in-place comparison takes', `{${Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`).join(',')}, "k33": 0}`, 'k33', '(root)'],
    ['deep inside', '{"x": [1, {"y": {"z": 1, "z": 1}}]}', 'z', 'x[1].y'],
  ])('%s: refused, naming the key and the object', (_name, text, key, path) => {
    expect(issueOf(text)).toEqual({ kind: 'duplicate-key', key, path });
  });

  test.each([
    ['sibling objects in a list', '[{"a": 1}, {"a": 2}]'],
    ['an object and the one inside it', '{"a": {"a": {"a": 1}}}'],
    ['objects at one level, one after the other', '{"x": {"a": 1}, "y": {"a": 1}}'],
    ['keys that differ only in case or length', '{"ab": 1, "Ab": 2, "a": 3, "abc": 4}'],
    ['the string values equal to keys', '{"a": "a", "b": "a"}'],
  ])('%s: no repetition', (_name, text) => {
    expect(issueOf(text)).toBeUndefined();
  });
});

describe('NUL and lone surrogates', () => {
  test.each([
    ['\\u0000 in a value', '{"a": "x\\u0000"}', { kind: 'nul', path: 'a' }],
    ['\\u0000 in a key', '{"a": {"b\\u0000": 1}}', { kind: 'nul', path: 'a["b\\u0000"]' }],
    ['a lone high surrogate', '["ok", "\\ud800"]', { kind: 'lone-surrogate', path: '[1]', escape: '\\ud800' }],
    ['a lone low surrogate', '{"a b": "\\uDFFF"}', { kind: 'lone-surrogate', path: '["a b"]', escape: '\\uDFFF' }],
    ['a high surrogate at the end of a string', '"abc\\udbff"', { kind: 'lone-surrogate', path: '(root)', escape: '\\udbff' }],
    ['a high surrogate before a non-surrogate escape', '"\\ud800\\u0041"', { kind: 'lone-surrogate', path: '(root)', escape: '\\ud800' }],
  ])('%s: refused with its place', (_name, text, issue) => {
    expect(issueOf(text)).toEqual(issue);
  });

  test.each([
    ['a surrogate pair', '"\\ud83d\\udc1f"'],
    ['an escaped backslash before u0000', '"C:\\\\u0000"'],
    ['three backslashes: an escaped one, then \\"', '"a\\\\\\"u0000"'],
    ['escaped quotes around a fake key', '{"a": "\\"a\\": 1"}'],
  ])('%s passes', (_name, text) => {
    expect(issueOf(text)).toBeUndefined();
  });
});

describe('agreement with JSON.parse', () => {
  const forbidden = (s: string) => s.includes('\u0000') || /\p{Cs}/u.test(s);
  const anyForbidden = (value: unknown): boolean => {
    if (typeof value === 'string') return forbidden(value);
    if (Array.isArray(value)) return value.some(anyForbidden);
    if (typeof value === 'object' && value !== null) return Object.entries(value).some(([k, v]) => forbidden(k) || anyForbidden(v));
    return false;
  };

  test('a value written by JSON.stringify is refused exactly when one of its strings or keys holds NUL or a lone surrogate', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(scanJsonText(JSON.stringify(value)).ok).toBe(!anyForbidden(value));
      }),
      { numRuns: 2000 },
    );
  });
});

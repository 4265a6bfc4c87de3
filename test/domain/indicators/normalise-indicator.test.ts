import fc from 'fast-check';
import {
  DEFAULT_VALIDITY_DAYS,
  HASH_ALGORITHMS,
  INDICATOR_KINDS,
  normaliseIndicator,
  type IndicatorInput,
  type IndicatorKind,
} from '../../../src/domain/indicators';
import { ALL_VALID } from './indicator-tables';

test.each(ALL_VALID)('normalising the canonical value of %j again gives the same indicator', (input, canonical) => {
  const first = normaliseIndicator(input);
  const again = normaliseIndicator({ ...input, value: canonical, ...(first.ok && first.indicator.algorithm ? { algorithm: first.indicator.algorithm } : {}) });
  expect(first.ok).toBe(true);
  expect(again).toEqual(first);
});

test('normalisation is idempotent for generated URLs, addresses, host names and e-mail addresses', () => {
  const inputs = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true, validSchemes: ['http', 'https', 'ftp', 'ftps', 'ws', 'wss'] }).map((value) => ({ kind: 'url' as const, value })),
    fc.ipV4().map((value) => ({ kind: 'c2-ip' as const, value })),
    fc.ipV6().map((value) => ({ kind: 'c2-ip' as const, value })),
    fc.domain().map((value) => ({ kind: 'c2-hostname' as const, value })),
    fc.emailAddress().map((value) => ({ kind: 'email-from' as const, value })),
  );
  fc.assert(
    fc.property(inputs, (input) => {
      const first = normaliseIndicator(input);
      if (!first.ok) return;
      expect(normaliseIndicator({ kind: input.kind, value: first.indicator.value })).toEqual(first);
    }),
    { numRuns: 2000 },
  );
});

test('normaliseIndicator never throws, whatever it is given', () => {
  const anything = fc.record(
    {
      kind: fc.oneof(fc.constantFrom(...INDICATOR_KINDS), fc.anything()),
      value: fc.oneof(fc.string({ unit: 'binary' }), fc.string(), fc.anything()),
      algorithm: fc.oneof(fc.constantFrom(...HASH_ALGORITHMS), fc.string(), fc.anything()),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fc.oneof(anything, fc.anything()), (input) => {
      const result = normaliseIndicator(input as IndicatorInput);
      expect(typeof result.ok).toBe('boolean');
      if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
    }),
    { numRuns: 3000 },
  );
});

test.each(INDICATOR_KINDS)('a %s value with U+0000 is refused', (kind) => {
  const result = normaliseIndicator({ kind, value: 'a\u0000b', ...(kind === 'file-hash' ? { algorithm: 'MD5' } : {}) });
  expect(result).toMatchObject({ ok: false, field: 'value', message: expect.stringContaining('U+0000') });
});

test.each(INDICATOR_KINDS.filter((kind) => kind !== 'file-hash'))('a %s indicator refuses an algorithm', (kind) => {
  expect(normaliseIndicator({ kind, value: 'x', algorithm: 'MD5' })).toEqual({
    ok: false,
    field: 'algorithm',
    message: `is only for kind file-hash; leave it out for kind ${kind}`,
  });
});

test('a value of an unknown kind or of a type other than string is refused, not thrown on', () => {
  expect(normaliseIndicator({ kind: 'domain' as IndicatorKind, value: 'example.com' })).toMatchObject({ ok: false, message: expect.stringContaining("kind \"domain\" is not one of") });
  expect(normaliseIndicator({ kind: 'url', value: 42 as unknown as string })).toEqual({ ok: false, field: 'value', message: 'must be a string' });
  expect(normaliseIndicator({ kind: 'file-hash', value: 'ab', algorithm: 256 as unknown as string })).toMatchObject({ ok: false, field: 'algorithm' });
});

test('the default validity is 30 days for e-mail indicators, 90 for C2 IPs, 180 for host names and URLs, 365 for hashes', () => {
  expect(DEFAULT_VALIDITY_DAYS).toEqual({
    'email-sender-ip': 30,
    'email-from': 30,
    'email-subject': 30,
    'email-attachment-name': 30,
    'c2-ip': 90,
    'c2-hostname': 180,
    url: 180,
    'file-hash': 365,
  });
  expect(Object.isFrozen(DEFAULT_VALIDITY_DAYS)).toBe(true);
});

test('every accepted indicator carries a label of at most 80 characters', () => {
  for (const [input] of ALL_VALID) {
    const result = normaliseIndicator(input);
    if (result.ok) expect(Array.from(result.indicator.label).length).toBeLessThanOrEqual(80);
  }
});

test.each([
  ['url', 'hxxp://evil.example/gate.php', "looks defanged (scheme 'hxxp'); send the live value with scheme http"],
  ['url', 'hXXps[:]//evil.example/', "scheme 'hXXps'); send the live value with scheme https"],
  ['url', 'https://evil[.]example/', "looks defanged ('[.]')"],
  ['c2-hostname', 'evil[.]example', "looks defanged ('[.]'); send the live value, with plain '.', '@' and ':'"],
  ['c2-hostname', 'evil[dot]example', "looks defanged ('[dot]')"],
  ['c2-hostname', 'evil(dot)example', "contains '('"],
  ['c2-ip', '198.51.100[.]7', "looks defanged ('[.]')"],
  ['email-sender-ip', '2001:db8[:]1', "looks defanged ('[:]')"],
  ['email-from', 'eve[@]example.com', "looks defanged ('[@]')"],
  ['email-from', 'eve[at]example[.]com', "looks defanged ('[at]')"],
] as const)('a defanged %s %j is refused with a hint to send the live value', (kind, value, fragment) => {
  expect(normaliseIndicator({ kind, value })).toMatchObject({ ok: false, field: 'value', message: expect.stringContaining(fragment) });
});

test('subjects and attachment names are never read as defanged', () => {
  expect(normaliseIndicator({ kind: 'email-subject', value: 'see hxxp://evil[.]example' })).toMatchObject({ ok: true });
  expect(normaliseIndicator({ kind: 'email-attachment-name', value: 'evil[.]example.txt' })).toMatchObject({ ok: true });
});

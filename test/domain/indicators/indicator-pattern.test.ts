import fc from 'fast-check';
import { normaliseIndicator, stixStringLiteral, type IndicatorInput } from '../../../src/domain/indicators';
import { parseStixPattern, type ComparisonExpression, type PatternAst } from '../../../src/domain/stix-pattern';
import { ALL_VALID } from './indicator-tables';

/** The single comparison of a one-observation pattern, or a failure naming what the parser said. */
function soleComparison(pattern: string): Extract<ComparisonExpression, { kind: 'comparison' }> {
  const parsed = parseStixPattern(pattern);
  if (!parsed.ok) throw new Error(`${pattern} does not parse: at ${parsed.error.position}: ${parsed.error.message}`);
  const ast: PatternAst = parsed.ast;
  if (ast.kind !== 'observation' || ast.comparison.kind !== 'comparison') throw new Error(`${pattern} is not a single comparison`);
  return ast.comparison;
}

function constantOf(pattern: string): unknown {
  const value = soleComparison(pattern).value;
  return value.type === 'string' ? value.value : value;
}

test('a string literal escapes backslashes and quotes and is quoted', () => {
  expect(stixStringLiteral('plain')).toBe("'plain'");
  expect(stixStringLiteral("it's")).toBe("'it\\'s'");
  expect(stixStringLiteral('C:\\temp')).toBe("'C:\\\\temp'");
  expect(stixStringLiteral("\\'")).toBe("'\\\\\\''");
  expect(stixStringLiteral('')).toBe("''");
});

test('any string survives a pattern string literal unchanged', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (value) => {
      expect(constantOf(`[email-message:subject = ${stixStringLiteral(value)}]`)).toBe(value);
    }),
  );
});

test.each(ALL_VALID)('the pattern of %j parses and its constant is the canonical value', (input, canonical) => {
  const result = normaliseIndicator(input);
  if (!result.ok) throw new Error(result.message);
  expect(constantOf(result.indicator.pattern)).toBe(canonical);
  expect(soleComparison(result.indicator.pattern).path.objectType).toBe(
    result.indicator.observableType === 'email-addr' ? 'email-message' : result.indicator.observableType,
  );
});

test('the file-hash pattern names the algorithm as the hashes key', () => {
  const result = normaliseIndicator({ kind: 'file-hash', algorithm: 'sha3-512', value: 'ef'.repeat(64) });
  if (!result.ok) throw new Error(result.message);
  expect(soleComparison(result.indicator.pattern).path.steps).toEqual([
    { kind: 'property', name: 'hashes' },
    { kind: 'property', name: 'SHA3-512' },
  ]);
});

describe.each(['email-subject', 'email-attachment-name'] as const)('%s of arbitrary text', (kind) => {
  test('when accepted, its pattern parses and gives back the value exactly', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 })), (value) => {
        const result = normaliseIndicator({ kind, value });
        if (!result.ok) return;
        expect(result.indicator.value).toBe(value);
        expect(constantOf(result.indicator.pattern)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  test('text without control characters, slashes or backslashes is accepted verbatim', () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).filter((s) => !/[\p{Cc}/\\]/u.test(s) && !/^\s+$/u.test(s));
    fc.assert(
      fc.property(text, (value) => {
        const result = normaliseIndicator({ kind, value });
        expect(result).toMatchObject({ ok: true, indicator: { value } });
        if (result.ok) expect(constantOf(result.indicator.pattern)).toBe(value);
      }),
    );
  });
});

const KINDS = fc.constantFrom('email-sender-ip', 'email-from', 'email-subject', 'email-attachment-name', 'c2-hostname', 'c2-ip', 'url', 'file-hash' as const);

test('every accepted value of any kind has a pattern that parses and gives back the value', () => {
  const inputs = fc.record(
    {
      kind: KINDS,
      value: fc.oneof(fc.string({ unit: 'binary' }), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.ipV4(), fc.ipV6(), fc.domain(), fc.emailAddress()),
      algorithm: fc.constantFrom('SHA-256', 'md5'),
    },
    { requiredKeys: ['kind', 'value'] },
  );
  fc.assert(
    fc.property(inputs, (input: IndicatorInput) => {
      const result = normaliseIndicator(input);
      if (result.ok) expect(constantOf(result.indicator.pattern)).toBe(result.indicator.value);
    }),
    { numRuns: 2000 },
  );
});

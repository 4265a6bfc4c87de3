import fc from 'fast-check';
import { parseStixPattern, type PatternAst } from '../../../src/domain/stix-pattern';

function ast(pattern: string): PatternAst {
  const result = parseStixPattern(pattern);
  if (!result.ok) throw new Error(`rejected at ${result.error.position}: ${result.error.message}`);
  return result.ast;
}

test('within brackets AND binds tighter than OR', () => {
  const tree = ast("[file:name = 'a' OR file:name = 'b' AND file:size = 1]");
  expect(tree).toMatchObject({
    kind: 'observation',
    comparison: {
      kind: 'boolean',
      operator: 'OR',
      left: { kind: 'comparison', operator: '=', value: { type: 'string', value: 'a' } },
      right: { kind: 'boolean', operator: 'AND', left: { value: { value: 'b' } }, right: { path: { steps: [{ name: 'size' }] } } },
    },
  });
});

test('parentheses inside brackets override precedence', () => {
  const tree = ast("[(file:name = 'a' OR file:name = 'b') AND file:size = 1]");
  expect(tree).toMatchObject({ comparison: { operator: 'AND', left: { operator: 'OR' }, right: { kind: 'comparison' } } });
});

test('observation operators bind AND, then OR, then FOLLOWEDBY, left to right', () => {
  const tree = ast("[a:x = 1] FOLLOWEDBY [a:x = 2] OR [a:x = 3] AND [a:x = 4] FOLLOWEDBY [a:x = 5]");
  expect(tree).toMatchObject({
    kind: 'observation-operator',
    operator: 'FOLLOWEDBY',
    left: {
      operator: 'FOLLOWEDBY',
      left: { kind: 'observation', position: 0 },
      right: { operator: 'OR', left: { kind: 'observation' }, right: { operator: 'AND' } },
    },
    right: { kind: 'observation' },
  });
});

test('a qualifier applies to the observation expression right before it', () => {
  const tree = ast("[a:x = 1] AND [a:x = 2] WITHIN 5 SECONDS");
  expect(tree).toMatchObject({ operator: 'AND', left: { kind: 'observation' }, right: { kind: 'qualified', qualifier: { kind: 'within', seconds: 5 } } });
  const grouped = ast("([a:x = 1] AND [a:x = 2]) REPEATS 3 TIMES START t'2020-01-01T00:00:00Z' STOP t'2020-02-01T00:00:00Z'");
  expect(grouped).toEqual({
    kind: 'qualified',
    position: 1,
    qualifier: { kind: 'start-stop', start: '2020-01-01T00:00:00Z', stop: '2020-02-01T00:00:00Z' },
    expression: { kind: 'qualified', position: 1, qualifier: { kind: 'repeats', times: 3 }, expression: expect.objectContaining({ operator: 'AND' }) },
  });
});

test('object paths keep quoted names, list indexes and the any-index', () => {
  const tree = ast("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.5 AND x-acme:list[2] NOT IN (1, 2)]");
  expect(tree).toMatchObject({
    comparison: {
      left: {
        path: {
          objectType: 'file',
          steps: [
            { kind: 'property', name: 'extensions' },
            { kind: 'property', name: 'windows-pebinary-ext' },
            { kind: 'property', name: 'sections' },
            { kind: 'any-index' },
            { kind: 'property', name: 'entropy' },
          ],
        },
        operator: '>',
        value: { type: 'float', value: 7.5 },
      },
      right: {
        path: { objectType: 'x-acme', steps: [{ kind: 'property', name: 'list' }, { kind: 'index', index: 2 }] },
        negated: true,
        operator: 'IN',
        value: { type: 'set', values: [{ type: 'integer', value: 1 }, { type: 'integer', value: 2 }] },
      },
    },
  });
});

test('constants are decoded to their values', () => {
  const values = (pattern: string) => {
    const tree = ast(pattern);
    return tree.kind === 'observation' && tree.comparison.kind === 'comparison' ? tree.comparison.value : undefined;
  };
  expect(values("[a:x = 'it\\'s a \\\\ test']")).toEqual({ type: 'string', value: "it's a \\ test" });
  expect(values("[a:x = h'DEADbeef']")).toEqual({ type: 'hex', value: 'deadbeef' });
  expect(values("[a:x = b'YQ==']")).toEqual({ type: 'binary', value: 'YQ==' });
  expect(values("[a:x = t'2020-01-01T00:00:00.5Z']")).toEqual({ type: 'timestamp', value: '2020-01-01T00:00:00.5Z' });
  expect(values('[a:x = -12]')).toEqual({ type: 'integer', value: -12 });
  expect(values('[a:x = false]')).toEqual({ type: 'boolean', value: false });
});

test('EXISTS holds only its object path', () => {
  expect(ast('[EXISTS file:hashes.MD5]')).toEqual({
    kind: 'observation',
    position: 0,
    comparison: { kind: 'exists', position: 1, path: { objectType: 'file', steps: [{ kind: 'property', name: 'hashes' }, { kind: 'property', name: 'MD5' }] } },
  });
});

test('any input yields a result, never an exception, with the error position inside the text', () => {
  const pieces = ['[', ']', '(', ')', "'", '\\', 'file', ':', 'name', '.', '*', '=', '!=', '<', 'IN', 'AND', 'OR', 'NOT', 'EXISTS', 'FOLLOWEDBY', 'WITHIN', '5', 'SECONDS', 'REPEATS', 'TIMES', "t'", "h'", "b'", ' ', ',', '-', '1.5', 'true'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
      const text = parts.join('');
      const result = parseStixPattern(text);
      if (!result.ok) {
        expect(result.error.position).toBeGreaterThanOrEqual(0);
        expect(result.error.position).toBeLessThanOrEqual(text.length);
      }
    }),
    { numRuns: 2000 },
  );
});

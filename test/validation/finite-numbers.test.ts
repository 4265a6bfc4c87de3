import { NON_FINITE_NUMBER_MESSAGE, nonFiniteNumberProblems } from '../../src/validation/finite-numbers';

/** Numbers JSON.parse read as ±Infinity (beyond a double), found at their paths. */

test('every place holding Infinity or -Infinity is named, in document order', () => {
  const value = JSON.parse('{"a": 1e999, "b": [0, -1e999, {"c": 1e400}], "d": 1.7976931348623157e308}') as unknown;
  expect(nonFiniteNumberProblems(value)).toEqual([
    { path: 'a', message: NON_FINITE_NUMBER_MESSAGE },
    { path: 'b[1]', message: NON_FINITE_NUMBER_MESSAGE },
    { path: 'b[2].c', message: NON_FINITE_NUMBER_MESSAGE },
  ]);
});

test('a value with only finite numbers has no problem; the root itself is named (root)', () => {
  expect(nonFiniteNumberProblems({ a: [1, 2.5, -0, Number.MAX_VALUE, Number.MIN_VALUE] })).toEqual([]);
  expect(nonFiniteNumberProblems(Infinity)).toEqual([{ path: '(root)', message: NON_FINITE_NUMBER_MESSAGE }]);
});

test('nesting far deeper than any stack is walked without overflowing', () => {
  let value: unknown = [Infinity];
  for (let i = 0; i < 100_000; i++) value = [value];
  expect(nonFiniteNumberProblems(value)).toHaveLength(1);
});

test('at most 20 places are named', () => {
  expect(nonFiniteNumberProblems(Array.from({ length: 100 }, () => Infinity))).toHaveLength(20);
});

import { TLP_LEVELS } from '../../src/domain/tenancy';
import { isLooser, isTlpLevel, markingRefFor, TLP1_MARKING_REFS, tlpFromMarkingRef, tlpFromMarkingRefs, tlpRank } from '../../src/domain/tlp';

describe('TLP 2.0 markings', () => {
  test('the hub writes the TLP 2.0 marking-definition ids and reads them back', () => {
    expect(markingRefFor('clear')).toBe('marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487');
    expect(markingRefFor('amber+strict')).toBe('marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003');
    expect(markingRefFor('red')).toBe('marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1');
    for (const level of TLP_LEVELS) expect(tlpFromMarkingRef(markingRefFor(level))).toBe(level);
  });

  test('the STIX 2.1 TLP 1.0 markings are read, TLP:WHITE as CLEAR', () => {
    expect(tlpFromMarkingRef('marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9')).toBe('clear');
    expect(tlpFromMarkingRef(TLP1_MARKING_REFS.green)).toBe('green');
    expect(tlpFromMarkingRef('marking-definition--f88d31f6-486f-44da-b317-01333bde0b82')).toBe('amber');
    expect(tlpFromMarkingRef(TLP1_MARKING_REFS.red)).toBe('red');
  });

  test('a marking that is not TLP has no level', () => {
    expect(tlpFromMarkingRef('marking-definition--00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(tlpFromMarkingRefs([])).toBeUndefined();
  });

  test('an object with several TLP markings takes the strictest', () => {
    expect(tlpFromMarkingRefs([markingRefFor('green'), 'marking-definition--x', TLP1_MARKING_REFS.amber])).toBe('amber');
  });

  test('levels are ordered clear < green < amber < amber+strict < red', () => {
    expect([...TLP_LEVELS].sort((a, b) => tlpRank(a) - tlpRank(b))).toEqual(['clear', 'green', 'amber', 'amber+strict', 'red']);
    expect(isLooser('green', 'amber')).toBe(true);
    expect(isLooser('amber', 'amber')).toBe(false);
    expect(isLooser('red', 'amber+strict')).toBe(false);
  });

  test('only the five TLP 2.0 names are levels', () => {
    expect(isTlpLevel('amber+strict')).toBe(true);
    expect(isTlpLevel('white')).toBe(false);
  });
});

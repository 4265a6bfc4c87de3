import { republishAllowed } from '../../src/access';

describe('republishing a received indicator', () => {
  test('the same marking is kept', () => {
    expect(republishAllowed('amber', 'amber')).toEqual({ allowed: true });
  });
  test('a stricter marking is allowed', () => {
    expect(republishAllowed('green', 'amber')).toEqual({ allowed: true });
    expect(republishAllowed('clear', 'red')).toEqual({ allowed: true });
  });
  test('a marking is never loosened', () => {
    expect(republishAllowed('amber', 'green')).toEqual({ allowed: false, reason: 'marking-loosened' });
    expect(republishAllowed('green', 'clear')).toEqual({ allowed: false, reason: 'marking-loosened' });
  });
  test('AMBER+STRICT and RED are not republished at all, not even unchanged', () => {
    expect(republishAllowed('amber+strict', 'amber+strict')).toEqual({ allowed: false, reason: 'not-republishable' });
    expect(republishAllowed('amber+strict', 'red')).toEqual({ allowed: false, reason: 'not-republishable' });
    expect(republishAllowed('red', 'red')).toEqual({ allowed: false, reason: 'not-republishable' });
  });
});

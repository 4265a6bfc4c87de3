import { objectVisibleUnderScope, readScope } from '../../src/access';
import { compiled, consumer, hubInput, operator, provider } from './fixture-hub';

const policy = compiled(hubInput);

describe('the read scope a store query filters by', () => {
  test('a branch in a vertical group reads its ancestors’ AMBER objects and the community’s CLEAR and GREEN ones', () => {
    expect(readScope(policy, consumer('west'), 'regional-feed')).toEqual({
      kind: 'filtered', self: 'west', openMarkings: ['clear', 'green'], amberProviders: ['hq'], strictProviders: ['hq'], redRecipient: 'west', defaultMarking: 'amber',
    });
  });

  test('a head lists its descendants and its link partner', () => {
    const scope = readScope(policy, consumer('d-hq'), 'federation-feed');
    expect(scope).toMatchObject({ amberProviders: ['c-hq', 'd-branch', 'e-hq'], strictProviders: ['c-hq', 'd-branch', 'e-hq'] });
  });

  test('what passes down a link is in the AMBER providers but never in the AMBER+STRICT providers', () => {
    const scope = readScope(policy, consumer('d-branch'), 'federation-feed');
    expect(scope).toMatchObject({ amberProviders: ['c-hq', 'd-hq', 'e-hq'], strictProviders: ['d-hq'] });
  });

  test('an unmarked object is judged by the collection’s default marking', () => {
    const scope = readScope(policy, consumer('west'), 'east-feed');
    expect(objectVisibleUnderScope(scope, { providerOrgId: 'east', marking: undefined, recipients: [] })).toBe(true); // default GREEN
    expect(objectVisibleUnderScope(scope, { providerOrgId: 'east', marking: 'amber', recipients: [] })).toBe(false);
  });

  test('an operator’s query is not filtered', () => {
    expect(readScope(policy, operator, 'alliance-feed')).toEqual({ kind: 'all' });
  });

  test('a principal that may not read the collection gets nothing', () => {
    expect(readScope(policy, consumer('outsider'), 'peers-feed')).toEqual({ kind: 'none' });
    expect(readScope(policy, provider('h1'), 'peers-feed')).toEqual({ kind: 'none' });
    expect(readScope(policy, undefined, 'peers-feed')).toEqual({ kind: 'none' });
    expect(readScope(policy, operator, 'no-such-feed')).toEqual({ kind: 'none' });
  });
});

import { objectVisibleUnderScope, readScope, reporterScope } from '../../src/access';
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

  test('a named reader reads a report whatever its marking; the names widen it for nobody else', () => {
    const report = { providerOrgId: 'east', marking: 'red' as const, recipients: [], namedReaders: ['hq'] };
    expect(objectVisibleUnderScope(readScope(policy, consumer('hq'), 'regional-feed'), report)).toBe(true);
    expect(objectVisibleUnderScope(readScope(policy, consumer('west'), 'regional-feed'), report)).toBe(false);
    expect(objectVisibleUnderScope(readScope(policy, consumer('east-lab'), 'regional-feed'), report)).toBe(false);
  });

  test('a report’s writer is judged by what its organization reads, whatever the roles of the key it writes with', () => {
    expect(reporterScope(policy, provider('west'), 'regional-feed')).toEqual(readScope(policy, consumer('west'), 'regional-feed'));
    expect(reporterScope(policy, operator, 'regional-feed')).toEqual({ kind: 'all' });
    expect(reporterScope(policy, provider('outsider'), 'regional-feed')).toEqual({ kind: 'none' });
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

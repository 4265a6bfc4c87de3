import { lookUpCollection } from '../../src/access';
import { collection, compiled, group, org, principal } from './fixture-hub';

/**
 * One resolver for a client's name of a collection (access/collection-names.ts): the id wins; an
 * alias is unique within an API root (TAXII), and outside one it is looked up among the collections
 * the principal can see, so a collection it cannot see neither answers nor makes a name ambiguous.
 */

const policy = compiled({
  organizations: ['a', 'b', 'c'].map(org),
  trustGroups: [group('ab', 'horizontal', { members: ['a', 'b'] }), group('bc', 'horizontal', { members: ['b', 'c'] })],
  collections: [
    { ...collection('11111111-1111-4111-8111-111111111111', { kind: 'trust-group', id: 'ab' }), apiRootId: 'one', alias: 'feed' },
    { ...collection('22222222-2222-4222-8222-222222222222', { kind: 'trust-group', id: 'bc' }), apiRootId: 'two', alias: 'feed' },
    { ...collection('33333333-3333-4333-8333-333333333333', { kind: 'trust-group', id: 'bc' }), apiRootId: 'two', alias: 'feed-1111' },
  ],
});
const idOf = (lookup: ReturnType<typeof lookUpCollection>) => (lookup.found ? lookup.collection.collection.id : lookup);

describe('lookUpCollection', () => {
  test('in an API root: the id (any case) or the alias in that root, and nothing from another root', () => {
    expect(idOf(lookUpCollection(policy, 'feed', { apiRootId: 'one' }))).toBe('11111111-1111-4111-8111-111111111111');
    expect(idOf(lookUpCollection(policy, 'feed', { apiRootId: 'two' }))).toBe('22222222-2222-4222-8222-222222222222');
    expect(idOf(lookUpCollection(policy, '11111111-1111-4111-8111-111111111111'.toUpperCase(), { apiRootId: 'one' }))).toBe('11111111-1111-4111-8111-111111111111');
    expect(lookUpCollection(policy, '11111111-1111-4111-8111-111111111111', { apiRootId: 'two' })).toEqual({ found: false, reason: 'unknown' });
  });

  test('outside an API root: among what the principal sees; an alias seen in two roots is ambiguous', () => {
    expect(idOf(lookUpCollection(policy, 'feed', { who: principal('a', 'consumer') }))).toBe('11111111-1111-4111-8111-111111111111');
    expect(idOf(lookUpCollection(policy, 'feed', { who: principal('c', 'consumer') }))).toBe('22222222-2222-4222-8222-222222222222');
    expect(lookUpCollection(policy, 'feed', { who: principal('b', 'consumer') })).toEqual({ found: false, reason: 'ambiguous', apiRoots: ['one', 'two'] });
  });

  test("a collection the principal cannot see is unknown to it, by id as by alias", () => {
    expect(lookUpCollection(policy, '22222222-2222-4222-8222-222222222222', { who: principal('a', 'consumer') })).toEqual({ found: false, reason: 'unknown' });
    expect(lookUpCollection(policy, 'feed-1111', { who: principal('a', 'consumer') })).toEqual({ found: false, reason: 'unknown' });
    expect(lookUpCollection(policy, 'nothing', {})).toEqual({ found: false, reason: 'unknown' });
  });
});

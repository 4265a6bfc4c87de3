import { attributionOf, type PolicyInput } from '../../src/access';
import type { Attribution } from '../../src/domain/tenancy';
import { collection, compiled, group, org } from './fixture-hub';

/**
 * A collection's effective attribution: hidden when the collection says hidden, or when any trust
 * group governing it says hidden (its owning group; for an organization's collection, every group
 * containing the owner).
 */

function hub(options: { hiddenGroups?: string[]; hiddenCollections?: string[] } = {}): PolicyInput {
  const attribution = (id: string, list: string[] = []): Attribution => (list.includes(id) ? 'hidden' : 'attributed');
  const hiddenGroup = (id: string) => attribution(id, options.hiddenGroups);
  const settings = (id: string) => ({ attribution: attribution(id, options.hiddenCollections) });
  return {
    organizations: ['hq', 'east', 'west', 'h1', 'h2', 'solo'].map(org),
    trustGroups: [
      group('isac', 'horizontal', { members: ['h1', 'h2', 'hq'], attribution: hiddenGroup('isac') }),
      group('regional', 'vertical', { tree: { hq: ['east', 'west'] }, attribution: hiddenGroup('regional') }),
    ],
    collections: [
      collection('isac-feed', { kind: 'trust-group', id: 'isac' }, 'green', settings('isac-feed')),
      collection('regional-feed', { kind: 'trust-group', id: 'regional' }, 'amber', settings('regional-feed')),
      collection('h1-feed', { kind: 'organization', id: 'h1' }, 'amber', settings('h1-feed')),
      collection('hq-feed', { kind: 'organization', id: 'hq' }, 'amber', settings('hq-feed')),
      collection('east-feed', { kind: 'organization', id: 'east' }, 'amber', settings('east-feed')),
      collection('solo-feed', { kind: 'organization', id: 'solo' }, 'amber', settings('solo-feed')),
    ],
  };
}

function attributions(input: PolicyInput): Record<string, string> {
  const policy = compiled(input);
  return Object.fromEntries([...policy.collections.keys()].map((id) => [id, attributionOf(policy, id)]));
}

describe('effective attribution', () => {
  test('without a hidden setting anywhere every collection is attributed', () => {
    expect(Object.values(attributions(hub()))).toEqual(Array(6).fill('attributed'));
  });

  test("a hidden group hides its own collection and the collections of its members' organizations, nothing else", () => {
    expect(attributions(hub({ hiddenGroups: ['isac'] }))).toEqual({
      'isac-feed': 'hidden',
      'regional-feed': 'attributed',
      'h1-feed': 'hidden', // h1 is an isac member
      'hq-feed': 'hidden', // hq is in isac and in regional: one hidden group suffices
      'east-feed': 'attributed', // east is only in regional
      'solo-feed': 'attributed',
    });
  });

  test("a hidden tree group hides the collections of every organization in its tree", () => {
    expect(attributions(hub({ hiddenGroups: ['regional'] }))).toMatchObject({
      'regional-feed': 'hidden',
      'hq-feed': 'hidden',
      'east-feed': 'hidden',
      'isac-feed': 'attributed',
      'h1-feed': 'attributed',
    });
  });

  test('a collection hidden on its own is hidden, whatever its groups say, and hides no other collection', () => {
    expect(attributions(hub({ hiddenCollections: ['regional-feed', 'solo-feed'] }))).toEqual({
      'isac-feed': 'attributed',
      'regional-feed': 'hidden',
      'h1-feed': 'attributed',
      'hq-feed': 'attributed',
      'east-feed': 'attributed',
      'solo-feed': 'hidden', // an owner in no group at all
    });
  });

  test('attribution changes nobody’s entitlement to a collection', () => {
    const open = compiled(hub());
    const hidden = compiled(hub({ hiddenGroups: ['isac', 'regional'], hiddenCollections: ['solo-feed'] }));
    for (const [id, policy] of open.collections) {
      expect([...(hidden.collections.get(id)?.entitled ?? [])]).toEqual([...policy.entitled]);
    }
  });

  test('a collection the policy does not know is hidden: no provider is named for it', () => {
    expect(attributionOf(compiled(hub()), 'no-such-collection')).toBe('hidden');
  });
});

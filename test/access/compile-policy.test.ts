import { compilePolicy, type PolicyInput } from '../../src/access';
import type { FieldProblem } from '../../src/domain/errors';
import type { TrustGroup } from '../../src/domain/tenancy';
import { collection, group, hubInput, org } from './fixture-hub';

const organizations = ['hq', 'east', 'west', 'lab', 'a-hq', 'b-hq', 'solo'].map(org);

function problemsOf(input: Partial<PolicyInput>): FieldProblem[] {
  const result = compilePolicy({ organizations, trustGroups: [], collections: [], ...input });
  return result.ok ? [] : result.problems;
}

function withGroup(g: TrustGroup): FieldProblem[] {
  return problemsOf({ trustGroups: [g] });
}

describe('compiling the access policy', () => {
  test('the fixture hub compiles', () => {
    expect(compilePolicy(hubInput).ok).toBe(true);
  });

  test('a cycle in a vertical tree is rejected, naming the group and the tree node', () => {
    const problems = withGroup(group('loop', 'vertical', { tree: { east: ['lab'], lab: ['west'], west: ['east'] } }));
    expect(problems).toContainEqual(expect.objectContaining({ path: expect.stringMatching(/^trust_groups\[loop\]\.tree\./), message: expect.stringContaining('cycle') }));
  });

  test('an organization under two parents is rejected at the second place it appears', () => {
    const problems = withGroup(group('acme-tree', 'vertical', { tree: { hq: ['east', 'west'], west: ['lab', 'east'] } }));
    expect(problems).toContainEqual({ path: 'trust_groups[acme-tree].tree.west[1]', message: expect.stringContaining("'east' is already under 'hq'") });
  });

  test('a peer link to an unknown organization is rejected', () => {
    const problems = withGroup(group('alliance', 'hybrid', { tree: { 'a-hq': [], 'b-hq': [] }, peerLinks: [{ between: ['a-hq', 'ghost'], passDown: false }] }));
    expect(problems).toContainEqual({ path: 'trust_groups[alliance].peer_links[0].between[1]', message: expect.stringContaining("'ghost'") });
  });

  test('a peer link to an organization outside the group’s trees is rejected', () => {
    const problems = withGroup(group('alliance', 'hybrid', { tree: { 'a-hq': [], 'b-hq': [] }, peerLinks: [{ between: ['solo', 'b-hq'], passDown: true }] }));
    expect(problems).toEqual([{ path: 'trust_groups[alliance].peer_links[0].between[0]', message: "organization 'solo' is not in this group's trees" }]);
  });

  test('the same two organizations linked twice is rejected (which pass-down would apply?)', () => {
    const links = [{ between: ['a-hq', 'b-hq'] as const, passDown: false }, { between: ['b-hq', 'a-hq'] as const, passDown: true }];
    const problems = withGroup(group('alliance', 'hybrid', { tree: { 'a-hq': [], 'b-hq': [] }, peerLinks: links }));
    expect(problems).toEqual([{ path: 'trust_groups[alliance].peer_links[1]', message: "duplicate peer link between 'b-hq' and 'a-hq'" }]);
  });

  test('a member of a tree group that stands in none of its trees is rejected', () => {
    const problems = withGroup(group('regional', 'vertical', { members: ['hq', 'east', 'solo'], tree: { hq: ['east'] } }));
    expect(problems).toEqual([{ path: 'trust_groups[regional].members[2]', message: expect.stringContaining("'solo'") }]);
  });

  test('an unknown organization in a tree is rejected', () => {
    const problems = withGroup(group('regional', 'vertical', { tree: { hq: ['east', 'ghost'] } }));
    expect(problems).toContainEqual({ path: 'trust_groups[regional].tree.hq[1]', message: "unknown organization 'ghost'" });
  });

  test('a collection owned by an unknown trust group is rejected', () => {
    const problems = problemsOf({ collections: [collection('feed-1', { kind: 'trust-group', id: 'nobody' })] });
    expect(problems).toEqual([{ path: 'collections[feed-1].owner', message: "unknown trust group 'nobody'" }]);
  });

  test('a collection owned by an unknown organization is rejected', () => {
    const problems = problemsOf({ collections: [collection('feed-2', { kind: 'organization', id: 'ghost' })] });
    expect(problems).toEqual([{ path: 'collections[feed-2].owner', message: "unknown organization 'ghost'" }]);
  });

  test('duplicate organizations, groups and collections are rejected', () => {
    const peers = group('peers', 'horizontal', { members: ['hq', 'east'] });
    const feed = collection('feed', { kind: 'trust-group', id: 'peers' });
    const problems = problemsOf({ organizations: [...organizations, org('hq')], trustGroups: [peers, peers], collections: [feed, feed] });
    expect(problems.map((p) => p.path)).toEqual(['organizations[hq]', 'trust_groups[peers]', 'collections[feed]']);
  });

  test('every problem is reported at once, not only the first', () => {
    const problems = problemsOf({
      trustGroups: [group('acme-tree', 'vertical', { tree: { hq: ['east', 'ghost'] } })],
      collections: [collection('feed', { kind: 'trust-group', id: 'nobody' })],
    });
    expect(problems.map((p) => p.path)).toEqual(['trust_groups[acme-tree].tree.hq[1]', 'collections[feed].owner']);
  });
});

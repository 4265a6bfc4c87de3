import { reservedApiRootIdProblem } from '../../src/domain/tenancy';
import { organizationParentProblem, trustGroupProblems, trustGroupShape, type TrustGroupShape } from '../../src/domain/trust-group-rules';

const knownOrganizations = new Set(['hq', 'east', 'west', 'lab', 'a-hq', 'b-hq', 'solo']);

function problemsOf(group: TrustGroupShape, source: 'input' | 'stored' = 'input') {
  return trustGroupProblems(group, { knownOrganizations, source });
}

describe('trust group rules', () => {
  test('well-formed groups of every topology have no problems', () => {
    expect(problemsOf({ topology: 'horizontal', members: ['hq', 'solo'] })).toEqual([]);
    expect(problemsOf({ topology: 'vertical', tree: { hq: ['east', 'west'], east: ['lab'] } })).toEqual([]);
    expect(problemsOf({ topology: 'hybrid', tree: { 'a-hq': [], 'b-hq': ['solo'] }, peerLinks: [{ between: ['a-hq', 'b-hq'] }] })).toEqual([]);
  });

  test('problems name their place inside the group as segments, for each caller to render', () => {
    expect(problemsOf({ topology: 'vertical', tree: { hq: ['east', 'ghost'] } })).toEqual([{ segments: ['tree', 'hq', 1], message: "unknown organization 'ghost'" }]);
  });

  test('the caller may describe an unknown organization its own way (e.g. with a hint)', () => {
    const problems = trustGroupProblems({ topology: 'horizontal', members: ['hq', 'eats'] }, { knownOrganizations, source: 'input', describeUnknown: (id) => `no '${id}' here` });
    expect(problems).toEqual([{ segments: ['members', 1], message: "no 'eats' here" }]);
  });

  test('a cycle is reported once, at its first declared parent, top-down', () => {
    const problems = problemsOf({ topology: 'vertical', tree: { east: ['lab'], lab: ['west'], west: ['east'] } });
    expect(problems).toEqual([{ segments: ['tree', 'east'], message: 'cycle in tree: east -> lab -> west -> east' }]);
  });

  test('an organization under two parents, or twice under one, is reported where it appears again', () => {
    expect(problemsOf({ topology: 'vertical', tree: { hq: ['east', 'west'], west: ['east'] } })).toEqual([
      { segments: ['tree', 'west', 0], message: "organization 'east' is already under 'hq'; an organization has one parent in a tree" },
    ]);
    expect(problemsOf({ topology: 'vertical', tree: { hq: ['east', 'east'] } })).toEqual([{ segments: ['tree', 'hq', 1], message: "organization 'east' is listed twice under 'hq'" }]);
  });

  test('a vertical group has one root', () => {
    expect(problemsOf({ topology: 'vertical', tree: { hq: ['east'], 'a-hq': ['b-hq'] } })).toEqual([
      { segments: ['tree'], message: 'a vertical group has exactly one root; found 2: hq, a-hq' },
    ]);
  });

  test('a horizontal group needs two different members, each listed once', () => {
    expect(problemsOf({ topology: 'horizontal', members: ['hq', 'hq'] })).toEqual([
      { segments: ['members'], message: 'a horizontal group needs at least 2 members' },
      { segments: ['members', 1], message: "organization 'hq' is listed twice" },
    ]);
  });

  test('the same two organizations linked twice is a duplicate peer link, in either order', () => {
    const links = [{ between: ['a-hq', 'b-hq'] as const }, { between: ['b-hq', 'a-hq'] as const }];
    expect(problemsOf({ topology: 'hybrid', tree: { 'a-hq': [], 'b-hq': [] }, peerLinks: links })).toEqual([
      { segments: ['peer_links', 1], message: "duplicate peer link between 'b-hq' and 'a-hq'" },
    ]);
  });

  test('parts that belong to another topology are rejected', () => {
    expect(problemsOf({ topology: 'horizontal', members: ['hq', 'solo'], tree: { hq: [] }, peerLinks: [] }).map((p) => p.segments)).toEqual([['tree'], ['peer_links']]);
    expect(problemsOf({ topology: 'vertical', tree: { hq: ['east'] }, peerLinks: [{ between: ['hq', 'east'] }] }).map((p) => p.segments)).toEqual([['peer_links']]);
  });

  test('a tree group given with members is an input mistake: its members come from its tree', () => {
    expect(problemsOf({ topology: 'vertical', members: ['hq'], tree: { hq: ['east'] } })).toEqual([
      { segments: ['members'], message: 'the members of a vertical group are the organizations in its tree; remove members' },
    ]);
  });

  test('a stored tree group carries the members derived from its tree; each must stand in the tree', () => {
    const stored = { topology: 'vertical' as const, tree: { hq: ['east'] }, peerLinks: [] };
    expect(problemsOf(trustGroupShape({ ...stored, members: ['hq', 'east'] }), 'stored')).toEqual([]);
    expect(problemsOf(trustGroupShape({ ...stored, members: ['hq', 'east', 'solo'] }), 'stored')).toEqual([
      { segments: ['members', 2], message: "organization 'solo' is a member but stands in none of the group's trees" },
    ]);
  });

  test('a domain group with an empty tree or list has not given it', () => {
    expect(trustGroupShape({ topology: 'horizontal', members: ['hq', 'solo'], tree: {}, peerLinks: [] })).toEqual({ topology: 'horizontal', members: ['hq', 'solo'] });
  });
});

describe('organization parents', () => {
  const parentOf = new Map<string, string | null>([
    ['hq', null],
    ['east', 'hq'],
    ['lab', 'east'],
  ]);

  test('an organization cannot become its own ancestor', () => {
    expect(organizationParentProblem('hq', 'lab', parentOf)).toBe('cycle in organization parents: hq -> lab -> east -> hq');
    expect(organizationParentProblem('hq', 'hq', parentOf)).toBe('cycle in organization parents: hq -> hq');
  });

  test('a parent must exist; no parent is always fine', () => {
    expect(organizationParentProblem('east', 'ghost', parentOf)).toBe("unknown organization 'ghost'");
    expect(organizationParentProblem('east', null, parentOf)).toBeUndefined();
    expect(organizationParentProblem('lab', 'hq', parentOf)).toBeUndefined();
  });
});

describe('reserved API root ids', () => {
  test('an API root cannot take a path the hub serves itself, in any letter case', () => {
    for (const id of ['taxii2', 'admin', 'healthz', 'readyz', 'metrics', 'Admin']) expect(reservedApiRootIdProblem(id)).toContain('reserved');
    expect(reservedApiRootIdProblem('intel')).toBeUndefined();
  });
});

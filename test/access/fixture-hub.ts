import { compilePolicy, type CompiledPolicy, type PolicyInput } from '../../src/access';
import type { Principal } from '../../src/domain/principal';
import type { Collection, Organization, Role, TlpLevel, TrustGroup } from '../../src/domain/tenancy';

/**
 * The hub the access specification is written against:
 *
 *   peers (horizontal):     h1  h2  h3
 *   regional (vertical):    hq ─┬─ east ── east-lab
 *                               └─ west
 *   alliance (hybrid):      a-hq ── a-branch   <link, no pass-down>   b-hq ── b-branch
 *   federation (hybrid):    c-hq ── c-branch   <link, pass-down>      d-hq ── d-branch
 *                           d-hq <link, pass-down> e-hq ── e-branch
 *   outsider: in no group.
 *
 * One collection per group, plus `east-feed`, owned by the organization east.
 */
export function org(id: string): Organization {
  return { id, name: id, parentId: null, managedBy: 'config' };
}

export function group(
  id: string,
  topology: TrustGroup['topology'],
  shape: { members?: string[]; tree?: Record<string, string[]>; peerLinks?: TrustGroup['peerLinks']; attribution?: TrustGroup['attribution'] },
): TrustGroup {
  const tree = shape.tree ?? {};
  const members = shape.members ?? [...new Set(Object.entries(tree).flatMap(([p, kids]) => [p, ...kids]))];
  return { id, name: id, topology, members, tree, peerLinks: shape.peerLinks ?? [], attribution: shape.attribution ?? 'attributed', managedBy: 'config' };
}

export function collection(id: string, owner: Collection['owner'], defaultMarking: TlpLevel = 'amber', settings: Partial<Pick<Collection, 'unmarked' | 'attribution'>> = {}): Collection {
  return { id, apiRootId: 'root', alias: null, title: id, description: null, owner, defaultMarking, unmarked: 'default', attribution: 'attributed', managedBy: 'config', ...settings };
}

export const hubInput: PolicyInput = {
  organizations: ['h1', 'h2', 'h3', 'hq', 'east', 'west', 'east-lab', 'a-hq', 'a-branch', 'b-hq', 'b-branch', 'c-hq', 'c-branch', 'd-hq', 'd-branch', 'e-hq', 'e-branch', 'outsider'].map(org),
  trustGroups: [
    group('peers', 'horizontal', { members: ['h1', 'h2', 'h3'] }),
    group('regional', 'vertical', { tree: { hq: ['east', 'west'], east: ['east-lab'] } }),
    group('alliance', 'hybrid', { tree: { 'a-hq': ['a-branch'], 'b-hq': ['b-branch'] }, peerLinks: [{ between: ['a-hq', 'b-hq'], passDown: false }] }),
    group('federation', 'hybrid', {
      tree: { 'c-hq': ['c-branch'], 'd-hq': ['d-branch'], 'e-hq': ['e-branch'] },
      peerLinks: [
        { between: ['c-hq', 'd-hq'], passDown: true },
        { between: ['d-hq', 'e-hq'], passDown: true },
      ],
    }),
  ],
  collections: [
    collection('peers-feed', { kind: 'trust-group', id: 'peers' }),
    collection('regional-feed', { kind: 'trust-group', id: 'regional' }),
    collection('alliance-feed', { kind: 'trust-group', id: 'alliance' }),
    collection('federation-feed', { kind: 'trust-group', id: 'federation' }),
    collection('east-feed', { kind: 'organization', id: 'east' }, 'green'),
  ],
};

export function compiled(input: PolicyInput): CompiledPolicy {
  const result = compilePolicy(input);
  if (!result.ok) throw new Error(`fixture does not compile: ${JSON.stringify(result.problems)}`);
  return result.policy;
}

export function principal(organizationId: string, ...roles: Role[]): Principal {
  return { userId: `${organizationId}-user`, username: `${organizationId}-user`, organizationId, roles: new Set(roles), via: 'basic' };
}

export const consumer = (organizationId: string): Principal => principal(organizationId, 'consumer');
export const provider = (organizationId: string): Principal => principal(organizationId, 'provider');
export const operator: Principal = principal('hub-ops', 'operator');

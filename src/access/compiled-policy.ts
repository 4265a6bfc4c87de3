import type { FieldProblem } from '../domain/errors';
import type { Attribution, Collection, Organization, TrustGroup } from '../domain/tenancy';
import { renderFieldPath } from '../domain/field-path';
import { trustGroupProblems, trustGroupShape } from '../domain/trust-group-rules';
import { indexGroup, type GroupTopology } from './group-topology';

/** How an organization is entitled to a collection (see the module documentation in ./index). */
export type MembershipRule = 'group-member' | 'collection-owner' | 'owner-community';

export interface Entitlement {
  readonly rule: MembershipRule;
  readonly write: boolean;
}

/** One collection with everything a decision needs, precomputed. */
export interface CollectionPolicy {
  readonly collection: Collection;
  /** Every organization that sees the collection; the others do not know it exists. */
  readonly entitled: ReadonlyMap<string, Entitlement>;
  /** The groups whose topology applies: the owning group, or every group containing the owning organization. */
  readonly groups: readonly GroupTopology[];
  /**
   * Whether consumers learn which member provided an object here: 'hidden' when the collection says
   * hidden or any of `groups` (the trust groups governing it) does; 'attributed' otherwise.
   */
  readonly attribution: Attribution;
}

export interface CompiledPolicy {
  readonly organizationIds: ReadonlySet<string>;
  readonly collections: ReadonlyMap<string, CollectionPolicy>;
}

export interface PolicyInput {
  readonly organizations: readonly Organization[];
  readonly trustGroups: readonly TrustGroup[];
  readonly collections: readonly Collection[];
}

export type PolicyResult = { ok: true; policy: CompiledPolicy } | { ok: false; problems: FieldProblem[] };

/**
 * Compile the tenancy configuration into lookup tables, once (at start and after every admin change).
 * Rejects a configuration whose meaning would be unclear, naming every problem with its path, e.g.
 * `trust_groups[acme-tree].tree.acme-hq[1]` or `collections[<id>].owner`.
 */
export function compilePolicy(input: PolicyInput): PolicyResult {
  const problems: FieldProblem[] = [];
  const organizationIds = new Set<string>();
  for (const org of input.organizations) {
    if (organizationIds.has(org.id)) problems.push({ path: `organizations[${org.id}]`, message: `organization '${org.id}' is declared twice` });
    organizationIds.add(org.id);
  }

  const groupsById = new Map<string, TrustGroup>();
  for (const group of input.trustGroups) {
    const at = `trust_groups[${group.id}]`;
    if (groupsById.has(group.id)) problems.push({ path: at, message: `trust group '${group.id}' is declared twice` });
    groupsById.set(group.id, group);
    // Stored groups: the members of a tree group were derived from its tree.
    for (const p of trustGroupProblems(trustGroupShape(group), { knownOrganizations: organizationIds, source: 'stored' })) {
      problems.push({ path: `${at}.${renderFieldPath(p.segments)}`, message: p.message });
    }
  }

  const collectionIds = new Set<string>();
  for (const collection of input.collections) {
    const at = `collections[${collection.id}]`;
    if (collectionIds.has(collection.id)) problems.push({ path: at, message: `collection '${collection.id}' is declared twice` });
    collectionIds.add(collection.id);
    const { kind, id } = collection.owner;
    if (kind === 'trust-group' && !groupsById.has(id)) problems.push({ path: `${at}.owner`, message: `unknown trust group '${id}'` });
    if (kind === 'organization' && !organizationIds.has(id)) problems.push({ path: `${at}.owner`, message: `unknown organization '${id}'` });
  }
  if (problems.length > 0) return { ok: false, problems };

  const topologies = new Map<string, GroupTopology>();
  for (const group of input.trustGroups) topologies.set(group.id, indexGroup(group));
  const hidingGroups = new Set(input.trustGroups.filter((group) => group.attribution === 'hidden').map((group) => group.id));
  const groupsOf = new Map<string, GroupTopology[]>();
  for (const topology of topologies.values()) {
    for (const member of topology.members) {
      const list = groupsOf.get(member);
      if (list) list.push(topology);
      else groupsOf.set(member, [topology]);
    }
  }

  const collections = new Map<string, CollectionPolicy>();
  for (const collection of input.collections) {
    const { entitled, groups } = collectionReach(collection, topologies, groupsOf);
    const hidden = collection.attribution === 'hidden' || groups.some((group) => hidingGroups.has(group.id));
    collections.set(collection.id, { collection, entitled, groups, attribution: hidden ? 'hidden' : 'attributed' });
  }
  return { ok: true, policy: { organizationIds, collections } };
}

function collectionReach(
  collection: Collection,
  topologies: ReadonlyMap<string, GroupTopology>,
  groupsOf: ReadonlyMap<string, readonly GroupTopology[]>,
): Pick<CollectionPolicy, 'entitled' | 'groups'> {
  const entitled = new Map<string, Entitlement>();
  if (collection.owner.kind === 'trust-group') {
    const group = topologies.get(collection.owner.id) as GroupTopology;
    for (const member of group.members) entitled.set(member, { rule: 'group-member', write: true });
    return { entitled, groups: [group] };
  }
  const owner = collection.owner.id;
  const groups = groupsOf.get(owner) ?? [];
  // GREEN reaches every member of every group containing the owner, so they all see the collection.
  for (const group of groups) for (const member of group.members) entitled.set(member, { rule: 'owner-community', write: false });
  entitled.set(owner, { rule: 'collection-owner', write: true });
  return { entitled, groups };
}

/**
 * The effective attribution of a collection: whether consumers outside a provider's organization may
 * learn which member provided an object there. A collection the policy does not know (e.g. created
 * after it was compiled) is 'hidden': the hub never names a provider it cannot vouch for.
 */
export function attributionOf(policy: CompiledPolicy, collectionId: string): Attribution {
  return policy.collections.get(collectionId)?.attribution ?? 'hidden';
}

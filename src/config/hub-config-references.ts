import { looksLikePhcHash } from '../auth/secret-hashing';
import { didYouMean, type Located, type ProblemCollector } from './config-problems';
import type { ApiRootEntry, CollectionEntry, HubSection, OrganizationEntry, TrustGroupEntry, UserEntry } from './hub-config-document';
import { reservedApiRootIdProblem } from '../domain/tenancy';
import { findCycleThrough, treeMembers, trustGroupProblems } from '../domain/trust-group-rules';
import { parseAllowListEntry } from '../services/delivery/outbound/delivery-allow-list';

/**
 * Cross-reference checks over the merged configuration: unique ids, references that resolve,
 * organization parents without cycles, per-topology trust group rules, collection ownership,
 * API root ids that do not shadow the hub's own routes, and no collection claiming an attribution its
 * trust groups override.
 */

export interface MergedConfig {
  readonly hub: Located<HubSection> | undefined;
  readonly apiRoots: readonly Located<ApiRootEntry>[];
  readonly organizations: readonly Located<OrganizationEntry>[];
  readonly users: readonly Located<UserEntry>[];
  readonly trustGroups: readonly Located<TrustGroupEntry>[];
  readonly collections: readonly Located<CollectionEntry>[];
}

/** Ids of entries that failed the schema: references to them are not reported as unknown too. */
export interface ShadowIds {
  readonly apiRoots: readonly string[];
  readonly organizations: readonly string[];
  readonly trustGroups: readonly string[];
}

export function checkReferences(merged: MergedConfig, shadows: ShadowIds, problems: ProblemCollector): void {
  const apiRoots = uniqueIds(merged.apiRoots, (e) => e.id, ['id'], 'API root id', problems);
  const orgs = uniqueIds(merged.organizations, (e) => e.id, ['id'], 'organization id', problems);
  const groups = uniqueIds(merged.trustGroups, (e) => e.id, ['id'], 'trust group id', problems);
  uniqueIds(merged.users, (e) => e.username, ['username'], 'username', problems);
  uniqueIds(merged.collections, (e) => e.id, ['id'], 'collection id', problems);

  const knownApiRoots = new Set([...apiRoots.keys(), ...shadows.apiRoots]);
  const knownOrgs = new Set([...orgs.keys(), ...shadows.organizations]);
  const knownGroups = new Set([...groups.keys(), ...shadows.trustGroups]);

  const defaultRoot = merged.hub?.entry.default_api_root;
  if (merged.hub && defaultRoot !== undefined && !knownApiRoots.has(defaultRoot)) {
    problems.at(merged.hub, ['default_api_root'], `unknown API root '${defaultRoot}'${didYouMean(defaultRoot, knownApiRoots)}`);
  }
  checkOrganizations(merged.organizations, knownOrgs, problems);
  merged.users.forEach((user) => checkUser(user, knownOrgs, problems));
  merged.apiRoots.forEach((root) => {
    const reserved = reservedApiRootIdProblem(root.entry.id);
    if (reserved !== undefined) problems.at(root, ['id'], reserved);
  });
  merged.trustGroups.forEach((group) => checkTrustGroup(group, knownOrgs, problems));
  checkCollections(merged.collections, { apiRoots: knownApiRoots, orgs: knownOrgs, groups: knownGroups }, problems);
  merged.collections.forEach((collection) => checkAttribution(collection, merged.trustGroups, problems));
}

/** Indexes entries by key, reporting every later duplicate against the first declaration. */
function uniqueIds<T>(
  items: readonly Located<T>[],
  keyOf: (entry: T) => string,
  keyPath: readonly string[],
  label: string,
  problems: ProblemCollector,
): Map<string, Located<T>> {
  const index = new Map<string, Located<T>>();
  for (const item of items) {
    const key = keyOf(item.entry);
    const first = index.get(key);
    if (first) problems.at(item, keyPath, `duplicate ${label} '${key}' (first declared at ${problems.where(first)})`);
    else index.set(key, item);
  }
  return index;
}

function checkOrganizations(orgs: readonly Located<OrganizationEntry>[], known: ReadonlySet<string>, problems: ProblemCollector): void {
  const parentOf = new Map<string, string>();
  for (const org of orgs) {
    (org.entry.delivery_allow_list ?? []).forEach((text, index) => {
      const parsed = parseAllowListEntry(text);
      if (!parsed.ok) problems.at(org, ['delivery_allow_list', index], parsed.message);
    });
  }
  for (const org of orgs) {
    const { id, parent } = org.entry;
    if (parent === undefined) continue;
    if (parent === id) problems.at(org, ['parent'], `organization '${id}' cannot be its own parent`);
    else if (!known.has(parent)) problems.at(org, ['parent'], `unknown organization '${parent}'${didYouMean(parent, known)}`);
    else if (!parentOf.has(id)) parentOf.set(id, parent);
  }
  const reported = new Set<string>();
  for (const org of orgs) {
    if (reported.has(org.entry.id)) continue;
    const cycle = findCycleThrough(org.entry.id, parentOf);
    if (cycle.length === 0) continue;
    cycle.forEach((id) => reported.add(id));
    problems.at(org, ['parent'], `organization parents form a cycle: ${[...cycle, org.entry.id].join(' -> ')}`);
  }
}

function checkTrustGroup(group: Located<TrustGroupEntry>, knownOrgs: ReadonlySet<string>, problems: ProblemCollector): void {
  const { topology, members, tree, peer_links: peerLinks } = group.entry;
  const found = trustGroupProblems(
    { topology, members, tree, peerLinks },
    { knownOrganizations: knownOrgs, source: 'input', describeUnknown: (id) => `unknown organization '${id}'${didYouMean(id, knownOrgs)}` },
  );
  for (const problem of found) problems.at(group, problem.segments, problem.message);
}

function checkUser(user: Located<UserEntry>, knownOrgs: ReadonlySet<string>, problems: ProblemCollector): void {
  const { entry } = user;
  if (!knownOrgs.has(entry.organization)) {
    problems.at(user, ['organization'], `unknown organization '${entry.organization}'${didYouMean(entry.organization, knownOrgs)}`);
  }
  const seen = new Set<string>();
  entry.roles.forEach((role, j) => {
    if (seen.has(role)) problems.at(user, ['roles', j], `role '${role}' is listed twice`);
    seen.add(role);
  });
  if (entry.password_hash !== undefined && entry.password_env !== undefined) {
    problems.at(user, [], 'give password_hash or password_env, not both');
  }
  if (entry.password_hash !== undefined && !looksLikePhcHash(entry.password_hash)) {
    problems.at(user, ['password_hash'], 'must be an Argon2 PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash), never a plaintext password');
  }
}

interface KnownIds {
  readonly apiRoots: ReadonlySet<string>;
  readonly orgs: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkCollections(collections: readonly Located<CollectionEntry>[], known: KnownIds, problems: ProblemCollector): void {
  const aliases = new Map<string, Located<CollectionEntry>>();
  for (const collection of collections) {
    const { entry } = collection;
    if (!known.apiRoots.has(entry.api_root)) {
      problems.at(collection, ['api_root'], `unknown API root '${entry.api_root}'${didYouMean(entry.api_root, known.apiRoots)}`);
    }
    checkOwner(collection, known, problems);
    if (entry.alias === undefined) continue;
    if (UUID_SHAPE.test(entry.alias)) {
      problems.at(collection, ['alias'], 'must not look like a UUID: TAXII URLs accept a collection id or an alias in the same place');
    }
    const key = `${entry.api_root}/${entry.alias}`;
    const first = aliases.get(key);
    if (first) {
      problems.at(collection, ['alias'], `alias '${entry.alias}' is already used in API root '${entry.api_root}' by ${problems.where(first)}`);
    } else aliases.set(key, collection);
  }
}

function checkOwner(collection: Located<CollectionEntry>, known: KnownIds, problems: ProblemCollector): void {
  const { organization, trust_group: group } = collection.entry.owner;
  if (organization === undefined && group === undefined) {
    problems.at(collection, ['owner'], 'must name an organization or a trust_group');
  } else if (organization !== undefined && group !== undefined) {
    problems.at(collection, ['owner'], 'names both an organization and a trust_group; a collection has one owner');
  } else if (organization !== undefined && !known.orgs.has(organization)) {
    problems.at(collection, ['owner', 'organization'], `unknown organization '${organization}'${didYouMean(organization, known.orgs)}`);
  } else if (group !== undefined && !known.groups.has(group)) {
    problems.at(collection, ['owner', 'trust_group'], `unknown trust group '${group}'${didYouMean(group, known.groups)}`);
  }
}

/**
 * A collection that says `attribution: attributed` while a trust group governing it hides attribution
 * would read as attributed and be hidden: refused, so the file says what the hub does. The governing
 * groups are the owning group, or for an organization's collection every group containing the owner.
 */
function checkAttribution(collection: Located<CollectionEntry>, groups: readonly Located<TrustGroupEntry>[], problems: ProblemCollector): void {
  if (collection.entry.attribution !== 'attributed') return;
  const { organization, trust_group: owningGroup } = collection.entry.owner;
  const hiding = groups.filter(({ entry }) => {
    if (entry.attribution !== 'hidden') return false;
    if (owningGroup !== undefined) return organization === undefined && entry.id === owningGroup;
    if (organization === undefined) return false;
    const members = entry.topology === 'horizontal' ? (entry.members ?? []) : treeMembers(entry.tree ?? {});
    return members.includes(organization);
  });
  if (hiding.length === 0) return;
  const names = hiding.map(({ entry }) => `'${entry.id}'`).join(', ');
  const plural = hiding.length > 1;
  const why =
    owningGroup !== undefined
      ? `its owner, trust group ${names}, hides attribution`
      : `its owner '${organization ?? ''}' is in trust group${plural ? 's' : ''} ${names}, which hide${plural ? '' : 's'} attribution`;
  problems.at(collection, ['attribution'], `is attributed, but ${why}, and a trust group's hidden attribution applies to every collection it governs; remove this key or set it to hidden`);
}

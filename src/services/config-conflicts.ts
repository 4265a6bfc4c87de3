import type { HubConfig } from '../config/hub-config';
import type { FieldProblem } from '../domain/errors';
import type { ApiRoot, Collection, ManagedBy, Organization, TrustGroup, User } from '../domain/tenancy';

/**
 * Where the declarative config and the admin API collide. Found before the reconciler writes
 * anything, so the operator gets every conflict in one report and the store stays untouched.
 */

export interface CurrentState {
  readonly apiRoots: readonly ApiRoot[];
  readonly organizations: readonly Organization[];
  readonly users: readonly User[];
  readonly trustGroups: readonly TrustGroup[];
  readonly collections: readonly Collection[];
}

const FIX = 'remove it from the configuration, or delete it through the admin API first';

export function findConflicts(config: HubConfig, current: CurrentState): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const claimed = <T extends { readonly id: string; readonly managedBy: ManagedBy }>(section: string, label: string, declared: readonly { id: string }[], stored: readonly T[]) => {
    const admin = new Set(stored.filter((entity) => entity.managedBy === 'admin').map((entity) => entity.id));
    for (const { id } of declared) {
      if (admin.has(id)) problems.push({ path: `${section}.${id}`, message: `${label} '${id}' exists and is managed through the admin API; ${FIX}` });
    }
  };
  claimed('api_roots', 'API root', config.apiRoots, current.apiRoots);
  claimed('organizations', 'organization', config.organizations, current.organizations);
  claimed('trust_groups', 'trust group', config.trustGroups, current.trustGroups);
  claimed('collections', 'collection', config.collections, current.collections);

  const adminUsernames = new Set(current.users.filter((user) => user.managedBy === 'admin').map((user) => user.username));
  for (const { username } of config.users) {
    if (adminUsernames.has(username)) problems.push({ path: `users.${username}`, message: `user '${username}' exists and is managed through the admin API; ${FIX}` });
  }

  for (const collection of config.collections) {
    if (collection.alias === null) continue;
    const holder = current.collections.find(
      (c) => c.managedBy === 'admin' && c.id !== collection.id && c.apiRootId === collection.apiRootId && c.alias === collection.alias,
    );
    if (holder) {
      problems.push({
        path: `collections.${collection.id}.alias`,
        message: `alias '${collection.alias}' in API root '${collection.apiRootId}' is taken by collection ${holder.id}, managed through the admin API`,
      });
    }
  }
  problems.push(...blockedDeletes(config, current));
  return problems;
}

/** Config entities to delete that admin-managed entities still depend on. */
function blockedDeletes(config: HubConfig, current: CurrentState): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const removedIds = (stored: readonly { id: string; managedBy: ManagedBy }[], declared: readonly { id: string }[]) => {
    const kept = new Set(declared.map((entity) => entity.id));
    return new Set(stored.filter((entity) => entity.managedBy === 'config' && !kept.has(entity.id)).map((entity) => entity.id));
  };
  const orgs = removedIds(current.organizations, config.organizations);
  const groups = removedIds(current.trustGroups, config.trustGroups);
  const roots = removedIds(current.apiRoots, config.apiRoots);
  const blocked = (kind: string, id: string, by: string) =>
    problems.push({ path: `${kind}.${id}`, message: `${by} is managed through the admin API and still depends on ${kind === 'organizations' ? 'organization' : kind === 'trust_groups' ? 'trust group' : 'API root'} '${id}', which was removed from the configuration` });

  for (const user of current.users) {
    if (user.managedBy === 'admin' && orgs.has(user.organizationId)) blocked('organizations', user.organizationId, `user '${user.username}'`);
  }
  for (const org of current.organizations) {
    if (org.managedBy === 'admin' && org.parentId !== null && orgs.has(org.parentId)) blocked('organizations', org.parentId, `organization '${org.id}'`);
  }
  for (const group of current.trustGroups) {
    if (group.managedBy !== 'admin') continue;
    for (const member of group.members) if (orgs.has(member)) blocked('organizations', member, `trust group '${group.id}'`);
  }
  for (const collection of current.collections) {
    if (collection.managedBy !== 'admin') continue;
    const by = `collection ${collection.id}`;
    if (roots.has(collection.apiRootId)) blocked('api_roots', collection.apiRootId, by);
    if (collection.owner.kind === 'organization' && orgs.has(collection.owner.id)) blocked('organizations', collection.owner.id, by);
    if (collection.owner.kind === 'trust-group' && groups.has(collection.owner.id)) blocked('trust_groups', collection.owner.id, by);
  }
  return problems;
}

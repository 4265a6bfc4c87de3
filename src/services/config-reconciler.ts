import { hashSecret, verifySecret } from '../auth/secret-hashing';
import type { ConfigUser, HubConfig } from '../config/hub-config';
import { hubError, type FieldProblem } from '../domain/errors';
import type { ApiRoot, Collection, Organization, TrustGroup, User } from '../domain/tenancy';
import type { CrudRepository, TenancyRepositories, TenancyStore } from '../storage/tenancy-store';
import { findConflicts, type CurrentState } from './config-conflicts';

/**
 * Applies the declarative configuration to the store, in one transaction, idempotently:
 * - entities in the config are created, or updated when they differ (managedBy 'config');
 * - entities earlier created from config and no longer in it are deleted;
 * - entities created through the admin API are left alone; the config declaring one of their ids
 *   (or depending on them in a way that blocks a delete) is a CONFLICT, reported before any write.
 * Every change writes an audit entry; a second run over the same config writes nothing.
 */

export const RECONCILED_KINDS = ['apiRoots', 'organizations', 'users', 'trustGroups', 'collections', 'apiKeys'] as const;
export type ReconciledKind = (typeof RECONCILED_KINDS)[number];

export interface ChangeCounts {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  readonly unchanged: number;
}

export interface ReconcileReport {
  readonly counts: Readonly<Record<ReconciledKind, ChangeCounts>>;
  /** Passwords set from password_hash or password_env (also counted as user creates/updates). */
  readonly passwordsSet: number;
  /** True when anything was written. */
  readonly changed: boolean;
}

export interface ReconcileOptions {
  /** The audit actor; 'config' by default. */
  readonly actor?: string;
  /** Where password_env variables are read; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export async function reconcileConfig(store: TenancyStore, config: HubConfig, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const env = options.env ?? process.env;
  const missing = config.users.flatMap((user): FieldProblem[] =>
    user.password.kind === 'env' && !env[user.password.variable]
      ? [{ path: `users.${user.username}.password_env`, message: `environment variable ${user.password.variable} is not set` }]
      : [],
  );
  if (missing.length > 0) {
    throw hubError('VALIDATION_FAILED', { description: `cannot apply the hub configuration: ${missing.map((p) => p.message).join('; ')}`, problems: missing });
  }
  return store.transaction(async (tx) => {
    const current = await readCurrentState(tx);
    const conflicts = findConflicts(config, current);
    if (conflicts.length > 0) {
      throw hubError('CONFLICT', {
        description: `the hub configuration conflicts with entities managed through the admin API: ${conflicts.map((c) => c.message).join('; ')}`,
        problems: conflicts,
      });
    }
    const run = new ReconcileRun(tx, options.actor ?? 'config', env);
    await run.apply(config, current);
    return run.report();
  });
}

/** "organizations: 2 created, 1 updated; users: 1 deleted" or "no changes". */
export function formatReconcileReport(report: ReconcileReport): string {
  const parts = RECONCILED_KINDS.flatMap((kind) => {
    const { created, updated, deleted } = report.counts[kind];
    const changes = [created && `${created} created`, updated && `${updated} updated`, deleted && `${deleted} deleted`].filter(Boolean);
    return changes.length > 0 ? [`${KIND_LABELS[kind]}: ${changes.join(', ')}`] : [];
  });
  return parts.length > 0 ? parts.join('; ') : 'no changes';
}

const KIND_LABELS: Record<ReconciledKind, string> = {
  apiRoots: 'API roots',
  organizations: 'organizations',
  users: 'users',
  trustGroups: 'trust groups',
  collections: 'collections',
  apiKeys: 'API keys',
};

async function readCurrentState(tx: TenancyRepositories): Promise<CurrentState> {
  return {
    apiRoots: await tx.apiRoots.list(),
    organizations: await tx.organizations.list(),
    users: await tx.users.list(),
    trustGroups: await tx.trustGroups.list(),
    collections: await tx.collections.list(),
  };
}

type Counter = { created: number; updated: number; deleted: number; unchanged: number };

interface EntityKind<T extends { readonly id: string }> {
  readonly kind: ReconciledKind;
  readonly entityType: string; // audit entity type, as the admin API writes it
  readonly repository: (tx: TenancyRepositories) => CrudRepository<T>;
  readonly same: (stored: T, desired: T) => boolean;
}

const API_ROOTS: EntityKind<ApiRoot> = {
  kind: 'apiRoots',
  entityType: 'api-root',
  repository: (tx) => tx.apiRoots,
  same: (a, b) => a.title === b.title && a.description === b.description && a.maxContentLength === b.maxContentLength,
};
const ORGANIZATIONS: EntityKind<Organization> = {
  kind: 'organizations',
  entityType: 'organization',
  repository: (tx) => declaredOrganizations(tx.organizations),
  same: (a, b) => a.name === b.name && a.parentId === b.parentId && sameList(a.deliveryAllowList ?? [], b.deliveryAllowList ?? []),
};
const TRUST_GROUPS: EntityKind<TrustGroup> = {
  kind: 'trustGroups',
  entityType: 'trust-group',
  repository: (tx) => tx.trustGroups,
  same: (a, b) =>
    a.name === b.name &&
    a.topology === b.topology &&
    sameList(a.members, b.members) &&
    canonicalJson(a.tree) === canonicalJson(b.tree) &&
    canonicalJson(a.peerLinks) === canonicalJson(b.peerLinks) &&
    a.attribution === b.attribution,
};
const COLLECTIONS: EntityKind<Collection> = {
  kind: 'collections',
  entityType: 'collection',
  repository: (tx) => tx.collections,
  same: (a, b) =>
    a.apiRootId === b.apiRootId &&
    a.alias === b.alias &&
    a.title === b.title &&
    a.description === b.description &&
    a.owner.kind === b.owner.kind &&
    a.owner.id === b.owner.id &&
    a.defaultMarking === b.defaultMarking &&
    a.unmarked === b.unmarked &&
    a.attribution === b.attribution,
};

class ReconcileRun {
  private readonly counters = Object.fromEntries(RECONCILED_KINDS.map((kind) => [kind, { created: 0, updated: 0, deleted: 0, unchanged: 0 }])) as Record<
    ReconciledKind,
    Counter
  >;
  private passwordsSet = 0;

  constructor(
    private readonly tx: TenancyRepositories,
    private readonly actor: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  async apply(config: HubConfig, current: CurrentState): Promise<void> {
    const removed = <T extends { readonly id: string; readonly managedBy: string }>(stored: readonly T[], keep: readonly { readonly id: string }[]) => {
      const kept = new Set(keep.map((entity) => entity.id));
      return stored.filter((entity) => entity.managedBy === 'config' && !kept.has(entity.id));
    };
    // Removed collections go first: they free aliases and references. Every other delete waits until
    // the kept entities have moved off what is deleted (a collection to a new owner, a user to a new org).
    for (const collection of removed(current.collections, config.collections)) await this.remove(COLLECTIONS, collection);

    await this.upsertAll(API_ROOTS, config.apiRoots, current.apiRoots);
    await this.upsertAll(ORGANIZATIONS, parentsFirst(config.organizations), current.organizations);
    for (const user of config.users) await this.upsertUser(user, current.users);
    await this.upsertAll(TRUST_GROUPS, config.trustGroups, current.trustGroups);
    // Updates before creates, so a new collection can take an alias an existing one gives up.
    const existingIds = new Set(current.collections.map((c) => c.id));
    const collections = [...config.collections].sort((a, b) => Number(!existingIds.has(a.id)) - Number(!existingIds.has(b.id)));
    await this.upsertAll(COLLECTIONS, collections, current.collections);

    for (const group of removed(current.trustGroups, config.trustGroups)) await this.remove(TRUST_GROUPS, group);
    const keptUsernames = new Set(config.users.map((user) => user.username));
    for (const user of current.users.filter((u) => u.managedBy === 'config' && !keptUsernames.has(u.username))) await this.removeUser(user);
    for (const root of removed(current.apiRoots, config.apiRoots)) await this.remove(API_ROOTS, root);
    for (const org of childrenFirst(removed(current.organizations, config.organizations))) await this.remove(ORGANIZATIONS, org);
  }

  report(): ReconcileReport {
    const counts = { ...this.counters };
    const changed = RECONCILED_KINDS.some((kind) => counts[kind].created + counts[kind].updated + counts[kind].deleted > 0);
    return { counts, passwordsSet: this.passwordsSet, changed };
  }

  private async upsertAll<T extends { readonly id: string }>(kind: EntityKind<T>, desired: readonly T[], stored: readonly T[]): Promise<void> {
    const byId = new Map(stored.map((entity) => [entity.id, entity]));
    for (const entity of desired) {
      const before = byId.get(entity.id);
      const repository = kind.repository(this.tx);
      if (!before) {
        await repository.insert(entity);
        await this.audit(kind.entityType, 'create', entity.id, null, entity);
        this.counters[kind.kind].created++;
      } else if (!kind.same(before, entity)) {
        await repository.update(entity);
        await this.audit(kind.entityType, 'update', entity.id, before, entity);
        this.counters[kind.kind].updated++;
      } else this.counters[kind.kind].unchanged++;
    }
  }

  private async remove<T extends { readonly id: string }>(kind: EntityKind<T>, entity: T): Promise<void> {
    await kind.repository(this.tx).delete(entity.id);
    await this.audit(kind.entityType, 'delete', entity.id, entity, null);
    this.counters[kind.kind].deleted++;
  }

  /** Users are matched by username, the key the config uses; a new user gets the config's id. */
  private async upsertUser(configUser: ConfigUser, stored: readonly User[]): Promise<void> {
    const before = stored.find((user) => user.username === configUser.username);
    const desired: User = {
      id: before?.id ?? configUser.id,
      username: configUser.username,
      organizationId: configUser.organizationId,
      roles: [...configUser.roles],
      disabled: configUser.disabled,
      managedBy: 'config',
    };
    if (!before) await this.tx.users.insert(desired);
    const recordChanged = before !== undefined && !sameUser(before, desired);
    if (recordChanged) await this.tx.users.update(desired);
    const passwordChanged = await this.applyPassword(desired.id, configUser);
    // The audit trail never holds a password or its hash, only that it changed (as the admin API does).
    const after = passwordChanged ? { ...desired, password: 'changed' } : desired;
    if (!before) {
      await this.audit('user', 'create', desired.id, null, after);
      this.counters.users.created++;
    } else if (recordChanged || passwordChanged) {
      await this.audit('user', 'update', desired.id, before, after);
      this.counters.users.updated++;
    } else this.counters.users.unchanged++;
  }

  /** Sets the stored hash when the config's differs; for password_env, only when it no longer verifies. */
  private async applyPassword(userId: string, user: ConfigUser): Promise<boolean> {
    const { password } = user;
    if (password.kind === 'none') return false;
    const stored = (await this.tx.users.getPasswordHash(userId)) ?? null;
    let hash: string;
    if (password.kind === 'hash') {
      if (stored === password.hash) return false;
      hash = password.hash;
    } else {
      const plain = this.env[password.variable] ?? '';
      if (stored !== null && (await verifySecret(stored, plain))) return false;
      hash = await hashSecret(plain);
    }
    await this.tx.users.setPasswordHash(userId, hash);
    this.passwordsSet++;
    return true;
  }

  /** A user's API keys go first, each with its own audit entry (the database would cascade silently). */
  private async removeUser(user: User): Promise<void> {
    for (const key of await this.tx.apiKeys.listByUser(user.id)) {
      await this.tx.apiKeys.delete(key.id);
      await this.audit('api-key', 'delete', key.id, key, null);
      this.counters.apiKeys.deleted++;
    }
    await this.tx.users.delete(user.id);
    await this.audit('user', 'delete', user.id, user, null);
    this.counters.users.deleted++;
  }

  private async audit(entityType: string, verb: 'create' | 'update' | 'delete', entityId: string, before: unknown, after: unknown): Promise<void> {
    await this.tx.audit.append({ actor: this.actor, action: `${entityType}.${verb}`, entityType, entityId, before, after });
  }
}

function sameUser(a: User, b: User): boolean {
  return a.organizationId === b.organizationId && a.disabled === b.disabled && sameList(a.roles, b.roles) && a.managedBy === b.managedBy;
}

/** The config declares the whole delivery allow-list: an organization declared without one has none (an absent list would keep the stored one). */
function declaredOrganizations(repository: CrudRepository<Organization>): CrudRepository<Organization> {
  return {
    list: () => repository.list(),
    get: (id) => repository.get(id),
    insert: (org) => repository.insert(org),
    update: (org) => repository.update({ ...org, deliveryAllowList: org.deliveryAllowList ?? [] }),
    delete: (id) => repository.delete(id),
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** JSON with object keys sorted: jsonb does not keep the key order it was given. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Organizations ordered so that a parent is written before its children. */
function parentsFirst(orgs: readonly Organization[]): Organization[] {
  const ordered: Organization[] = [];
  const placed = new Set<string>();
  const inConfig = new Set(orgs.map((org) => org.id));
  let pending = [...orgs];
  while (pending.length > 0) {
    const ready = pending.filter((org) => org.parentId === null || placed.has(org.parentId) || !inConfig.has(org.parentId));
    if (ready.length === 0) return [...ordered, ...pending]; // a cycle: validation rules it out
    ready.forEach((org) => {
      ordered.push(org);
      placed.add(org.id);
    });
    pending = pending.filter((org) => !placed.has(org.id));
  }
  return ordered;
}

/** Organizations ordered so that a child is deleted before its parent. */
function childrenFirst(orgs: readonly Organization[]): Organization[] {
  return [...parentsFirst(orgs)].reverse();
}

import { randomUUID } from 'node:crypto';
import { mayManageHubStructure } from '../../access/admin-permissions';
import type { Principal } from '../../domain/principal';
import type { ApiRoot, Collection, ManagedBy, TrustGroup } from '../../domain/tenancy';
import { treeMembers, trustGroupProblems } from '../../domain/trust-group-rules';
import type { CrudRepository, TenancyRepositories } from '../../storage/tenancy-store';
import { auditedChange, enforce, invalid, notFound, refuseConfigManaged, type AdminDeps } from './admin-context';

type Entity = { readonly id: string; readonly managedBy: ManagedBy };

interface StructureSpec<T extends Entity> {
  /** e.g. 'trust-group': used in audit actions and messages. */
  readonly entityType: string;
  readonly label: string;
  readonly repository: (repos: TenancyRepositories) => CrudRepository<T>;
  /** Checks an entity about to be stored against the rest of the hub; throws VALIDATION_FAILED. */
  readonly check: (tx: TenancyRepositories, entity: T) => Promise<void>;
}

/**
 * Create/read/update/delete for the hub's structural entities. Operators only; each change is one
 * transaction with its audit record; entities from the declarative config are read-only here.
 */
function structureAdmin<T extends Entity, Input, Patch>(deps: AdminDeps, spec: StructureSpec<T>, build: { create: (input: Input) => T; patch: (before: T, patch: Patch) => T }) {
  const { store } = deps;
  const what = (id: string) => `${spec.label} '${id}'`;
  return {
    async list(who: Principal): Promise<T[]> {
      enforce(mayManageHubStructure(who), `${spec.label}s`);
      return spec.repository(store).list();
    },
    async get(who: Principal, id: string): Promise<T> {
      enforce(mayManageHubStructure(who), `${spec.label}s`);
      return (await spec.repository(store).get(id)) ?? notFound(what(id));
    },
    async create(who: Principal, input: Input): Promise<T> {
      enforce(mayManageHubStructure(who), `${spec.label}s`);
      const entity = build.create(input);
      return auditedChange(store, who, { action: `${spec.entityType}.create`, entityType: spec.entityType, entityId: entity.id }, async (tx) => {
        await spec.check(tx, entity);
        await spec.repository(tx).insert(entity);
        return { before: null, after: entity, result: entity };
      });
    },
    async update(who: Principal, id: string, patch: Patch): Promise<T> {
      enforce(mayManageHubStructure(who), `${spec.label}s`);
      return auditedChange(store, who, { action: `${spec.entityType}.update`, entityType: spec.entityType, entityId: id }, async (tx) => {
        const before = (await spec.repository(tx).get(id)) ?? notFound(what(id));
        refuseConfigManaged(before, what(id));
        const after = build.patch(before, patch);
        await spec.check(tx, after);
        await spec.repository(tx).update(after);
        return { before, after, result: after };
      });
    },
    async remove(who: Principal, id: string): Promise<void> {
      enforce(mayManageHubStructure(who), `${spec.label}s`);
      await auditedChange(store, who, { action: `${spec.entityType}.delete`, entityType: spec.entityType, entityId: id }, async (tx) => {
        const before = (await spec.repository(tx).get(id)) ?? notFound(what(id));
        refuseConfigManaged(before, what(id));
        await spec.repository(tx).delete(id);
        return { before, after: null, result: undefined };
      });
    },
  };
}

const DEFAULT_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

export type ApiRootInput = { id: string; title: string; description: string | null; maxContentLength?: number };
export type ApiRootPatch = Partial<Omit<ApiRootInput, 'id'>>;

export function apiRootAdmin(deps: AdminDeps) {
  return structureAdmin<ApiRoot, ApiRootInput, ApiRootPatch>(
    deps,
    { entityType: 'api-root', label: 'API root', repository: (r) => r.apiRoots, check: async () => {} },
    {
      create: (input) => ({ id: input.id, title: input.title, description: input.description, maxContentLength: input.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH, managedBy: 'admin' }),
      patch: (before, patch) => ({ ...before, ...stripUndefined(patch) }),
    },
  );
}

export type CollectionInput = Omit<Collection, 'id' | 'managedBy' | 'defaultMarking'> & { id?: string; defaultMarking?: Collection['defaultMarking'] };
export type CollectionPatch = Partial<Omit<Collection, 'id' | 'apiRootId' | 'managedBy'>>;

async function checkCollection(tx: TenancyRepositories, collection: Collection): Promise<void> {
  const problems = [];
  if (!(await tx.apiRoots.get(collection.apiRootId))) problems.push({ path: 'api_root', message: `unknown API root '${collection.apiRootId}'` });
  const { owner } = collection;
  if (owner.kind === 'organization' && !(await tx.organizations.get(owner.id))) problems.push({ path: 'owner.organization', message: `unknown organization '${owner.id}'` });
  if (owner.kind === 'trust-group' && !(await tx.trustGroups.get(owner.id))) problems.push({ path: 'owner.trust_group', message: `unknown trust group '${owner.id}'` });
  invalid(problems);
}

export function collectionAdmin(deps: AdminDeps) {
  return structureAdmin<Collection, CollectionInput, CollectionPatch>(
    deps,
    { entityType: 'collection', label: 'collection', repository: (r) => r.collections, check: checkCollection },
    {
      create: (input) => ({ ...input, id: input.id ?? randomUUID(), defaultMarking: input.defaultMarking ?? 'amber', managedBy: 'admin' }),
      patch: (before, patch) => ({ ...before, ...stripUndefined(patch) }),
    },
  );
}

export type TrustGroupInput = Omit<TrustGroup, 'managedBy'>;
export type TrustGroupPatch = Partial<Omit<TrustGroup, 'id' | 'managedBy'>>;

async function checkTrustGroup(tx: TenancyRepositories, group: TrustGroup): Promise<void> {
  const known = new Set((await tx.organizations.list()).map((o) => o.id));
  invalid(trustGroupProblems(group, known));
}

/** Vertical and hybrid groups take their members from the tree; horizontal ones list them. */
function withMembers(group: TrustGroup): TrustGroup {
  return group.topology === 'horizontal' ? group : { ...group, members: treeMembers(group.tree) };
}

export function trustGroupAdmin(deps: AdminDeps) {
  return structureAdmin<TrustGroup, TrustGroupInput, TrustGroupPatch>(
    deps,
    { entityType: 'trust-group', label: 'trust group', repository: (r) => r.trustGroups, check: checkTrustGroup },
    {
      create: (input) => withMembers({ ...input, managedBy: 'admin' }),
      patch: (before, patch) => withMembers({ ...before, ...stripUndefined(patch) }),
    },
  );
}

function stripUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import { randomUUID } from 'node:crypto';
import { mayManageHubStructure } from '../../access/admin-permissions';
import type { Principal } from '../../domain/principal';
import { renderFieldPath } from '../../domain/field-path';
import { DEFAULT_ATTRIBUTION, DEFAULT_UNMARKED, reservedApiRootIdProblem, type ApiRoot, type Collection, type ManagedBy, type TrustGroup } from '../../domain/tenancy';
import { treeMembers, trustGroupProblems, trustGroupShape } from '../../domain/trust-group-rules';
import type { CrudRepository, TenancyRepositories } from '../../storage/tenancy-store';
import { auditedChange, enforce, invalid, notFound, refuseConfigManaged, type AdminDeps } from './admin-context';

type Entity = { readonly id: string; readonly managedBy: ManagedBy };

interface StructureSpec<T extends Entity> {
  /** e.g. 'trust-group': used in audit actions and messages, and to find where the config declares one. */
  readonly entityType: 'api-root' | 'collection' | 'trust-group';
  readonly label: string;
  readonly repository: (repos: TenancyRepositories) => CrudRepository<T>;
  /** Checks an entity about to be stored against the rest of the hub; throws VALIDATION_FAILED. */
  readonly check: (tx: TenancyRepositories, entity: T) => Promise<void>;
  /** Fills what is derived from the checked entity (e.g. a tree group's members) before it is stored. */
  readonly complete?: (entity: T) => T;
}

/**
 * Create/read/update/delete for the hub's structural entities. Operators only; each change is one
 * transaction with its audit record; entities from the declarative config are read-only here.
 */
function structureAdmin<T extends Entity, Input, Patch>(deps: AdminDeps, spec: StructureSpec<T>, build: { create: (input: Input) => T; patch: (before: T, patch: Patch) => T }) {
  const { store } = deps;
  const what = (id: string) => `${spec.label} '${id}'`;
  const complete = (entity: T): T => spec.complete?.(entity) ?? entity;
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
      const requested = build.create(input);
      return auditedChange(store, who, { action: `${spec.entityType}.create`, entityType: spec.entityType, entityId: requested.id }, async (tx) => {
        await spec.check(tx, requested);
        const entity = complete(requested);
        await spec.repository(tx).insert(entity);
        return { before: null, after: entity, result: entity };
      });
    },
    async update(who: Principal, id: string, patch: Patch): Promise<T> {
      enforce(mayManageHubStructure(who), `${spec.label}s`);
      return auditedChange(store, who, { action: `${spec.entityType}.update`, entityType: spec.entityType, entityId: id }, async (tx) => {
        const before = (await spec.repository(tx).get(id)) ?? notFound(what(id));
        refuseConfigManaged(before, what(id), deps.configDeclarations?.whereDeclared(spec.entityType, id));
        const requested = build.patch(before, patch);
        await spec.check(tx, requested);
        const after = complete(requested);
        await spec.repository(tx).update(after);
        return { before, after, result: after };
      });
    },
    async remove(who: Principal, id: string): Promise<void> {
      enforce(mayManageHubStructure(who), `${spec.label}s`);
      await auditedChange(store, who, { action: `${spec.entityType}.delete`, entityType: spec.entityType, entityId: id }, async (tx) => {
        const before = (await spec.repository(tx).get(id)) ?? notFound(what(id));
        refuseConfigManaged(before, what(id), deps.configDeclarations?.whereDeclared(spec.entityType, id));
        await spec.repository(tx).delete(id);
        return { before, after: null, result: undefined };
      });
    },
  };
}

const DEFAULT_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

export type ApiRootInput = { id: string; title: string; description: string | null; maxContentLength?: number };
export type ApiRootPatch = Partial<Omit<ApiRootInput, 'id'>>;

async function checkApiRoot(_tx: TenancyRepositories, root: ApiRoot): Promise<void> {
  const reserved = reservedApiRootIdProblem(root.id);
  invalid(reserved === undefined ? [] : [{ path: 'id', message: reserved }]);
}

export function apiRootAdmin(deps: AdminDeps) {
  return structureAdmin<ApiRoot, ApiRootInput, ApiRootPatch>(
    deps,
    { entityType: 'api-root', label: 'API root', repository: (r) => r.apiRoots, check: checkApiRoot },
    {
      create: (input) => ({ id: input.id, title: input.title, description: input.description, maxContentLength: input.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH, managedBy: 'admin' }),
      patch: (before, patch) => ({ ...before, ...stripUndefined(patch) }),
    },
  );
}

/** Left out, defaultMarking is 'amber', unmarked 'default' and attribution 'attributed'. */
export type CollectionInput = Omit<Collection, 'id' | 'managedBy' | 'defaultMarking' | 'unmarked' | 'attribution'> &
  Partial<Pick<Collection, 'id' | 'defaultMarking' | 'unmarked' | 'attribution'>>;
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
      create: (input) => ({
        ...input,
        id: input.id ?? randomUUID(),
        defaultMarking: input.defaultMarking ?? 'amber',
        unmarked: input.unmarked ?? DEFAULT_UNMARKED,
        attribution: input.attribution ?? DEFAULT_ATTRIBUTION,
        managedBy: 'admin',
      }),
      patch: (before, patch) => ({ ...before, ...stripUndefined(patch) }),
    },
  );
}

/** Left out, attribution is 'attributed'. */
export type TrustGroupInput = Omit<TrustGroup, 'managedBy' | 'attribution'> & Partial<Pick<TrustGroup, 'attribution'>>;
export type TrustGroupPatch = Partial<Omit<TrustGroup, 'id' | 'managedBy'>>;

/** Checks a group as requested: a tree group's members here are only those the request listed. */
async function checkTrustGroup(tx: TenancyRepositories, group: TrustGroup): Promise<void> {
  const knownOrganizations = new Set((await tx.organizations.list()).map((o) => o.id));
  const problems = trustGroupProblems(trustGroupShape(group), { knownOrganizations, source: 'input' });
  invalid(problems.map((p) => ({ path: renderFieldPath(p.segments), message: p.message })));
}

/** Vertical and hybrid groups take their members from the tree; horizontal ones list them. */
function withMembers(group: TrustGroup): TrustGroup {
  return group.topology === 'horizontal' ? group : { ...group, members: treeMembers(group.tree) };
}

/** The group a patch asks for; a tree group's stored members were derived, so they are not carried over as listed. */
function patched(before: TrustGroup, patch: TrustGroupPatch): TrustGroup {
  const after = { ...before, ...stripUndefined(patch) };
  return after.topology === 'horizontal' ? after : { ...after, members: patch.members ?? [] };
}

export function trustGroupAdmin(deps: AdminDeps) {
  return structureAdmin<TrustGroup, TrustGroupInput, TrustGroupPatch>(
    deps,
    { entityType: 'trust-group', label: 'trust group', repository: (r) => r.trustGroups, check: checkTrustGroup, complete: withMembers },
    {
      create: (input) => ({ ...input, attribution: input.attribution ?? DEFAULT_ATTRIBUTION, managedBy: 'admin' }),
      patch: patched,
    },
  );
}

function stripUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

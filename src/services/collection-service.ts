import { collectionAccess, decide, readScope, type CollectionPolicy, type CompiledPolicy, type ReadScope, type RuleName } from '../access';
import { actorName, type Principal } from '../domain/principal';
import type { Collection } from '../domain/tenancy';
import type { TenancyStore } from '../storage/tenancy-store';
import { lookUpCollection } from '../access/collection-names';
import { accessDenied, enforceDecision, notFoundError } from './access-errors';
import type { PolicyService } from './policy-service';

/** A collection as one principal sees it: TAXII's `can_read` / `can_write` are per client. */
export interface CollectionView {
  readonly collection: Collection;
  readonly canRead: boolean;
  readonly canWrite: boolean;
}

export type CollectionAction = 'read' | 'write';

/**
 * What an allowed action on a collection comes with. `rule` says why it was allowed: 'operator'
 * means only the operator role let the principal in, which the caller audits (issue 3: operators
 * read everything, and that is audited).
 */
export interface CollectionResolution {
  /** `scope` turns into the store query's filter: only objects the principal may read. */
  readonly read: { readonly collection: Collection; readonly scope: ReadScope; readonly rule: RuleName };
  readonly write: { readonly collection: Collection; readonly rule: RuleName };
}

/** The use cases behind TAXII 2.1 Get Collections (§5.1) and Get a Collection (§5.2), and the gate of every object endpoint. */
export interface CollectionService {
  /** The API root's collections the principal can see, sorted by id. NOT_FOUND for an unknown API root. */
  list(who: Principal, apiRootId: string): Promise<CollectionView[]>;
  /** One collection by id or alias; NOT_FOUND when it does not exist or the principal cannot see it. */
  get(who: Principal, apiRootId: string, idOrAlias: string): Promise<CollectionView>;
  /**
   * The gate for objects endpoints: AUTHENTICATION_REQUIRED without a principal, NOT_FOUND for a
   * collection the principal cannot see (or that does not exist), FORBIDDEN when it may see it but
   * not perform `action` (reading needs the consumer role, writing the provider role and a write
   * entitlement).
   */
  resolveForAction<A extends CollectionAction>(who: Principal | undefined, apiRootId: string, idOrAlias: string, action: A): Promise<CollectionResolution[A]>;
}

export interface CollectionServiceDeps {
  readonly store: Pick<TenancyStore, 'apiRoots' | 'audit'>;
  readonly policy: Pick<PolicyService, 'current'>;
  /** How long one audit record stands for an operator's repeated reads of one collection. */
  readonly operatorReadAuditWindowMs?: number;
  readonly now?: () => number;
}

const OPERATOR_READ_AUDIT_WINDOW_MS = 60 * 60 * 1000;

/**
 * Collections are answered from the compiled policy, which holds every collection with everything
 * a decision needs; the store is asked only whether an API root exists. Nothing here decides
 * access itself: every answer comes from the access module.
 */
export function createCollectionService(deps: CollectionServiceDeps): CollectionService {
  const resolvers: { [A in CollectionAction]: (policy: CompiledPolicy, who: Principal, collection: Collection, rule: RuleName) => CollectionResolution[A] } = {
    read: (policy, who, collection, rule) => ({ collection, scope: readScope(policy, who, collection.id), rule }),
    write: (_policy, _who, collection, rule) => ({ collection, rule }),
  };

  const now = deps.now ?? Date.now;
  const window = deps.operatorReadAuditWindowMs ?? OPERATOR_READ_AUDIT_WINDOW_MS;
  const lastOperatorRead = new Map<string, number>();

  /**
   * Operators read everything, and that is audited: a read that only the operator role allows writes
   * an audit record, at most one per operator and collection per window so that a polling operator
   * does not flood the trail.
   */
  async function auditOperatorRead(who: Principal, collection: Collection): Promise<void> {
    const key = `${who.userId}\u0000${collection.id}`;
    const at = now();
    const previous = lastOperatorRead.get(key);
    if (previous !== undefined && at - previous < window) return;
    lastOperatorRead.set(key, at);
    await deps.store.audit.append({ actor: actorName(who), action: 'collection.operator-read', entityType: 'collection', entityId: collection.id, before: null, after: null });
  }
  // TAXII names a collection by id or alias within the API root (access/collection-names.ts, the one resolver).
  const find = (policy: CompiledPolicy, apiRootId: string, idOrAlias: string): CollectionPolicy | undefined => {
    const found = lookUpCollection(policy, idOrAlias, { apiRootId });
    return found.found ? found.collection : undefined;
  };

  return {
    async list(who, apiRootId) {
      const policy = await deps.policy.current();
      const inRoot = [...policy.collections.values()].filter((cp) => cp.collection.apiRootId === apiRootId);
      if (inRoot.length === 0 && !(await deps.store.apiRoots.get(apiRootId))) throw notFoundError(`API root ${apiRootId}`);
      const views: CollectionView[] = [];
      for (const { collection } of inRoot) {
        const access = collectionAccess(policy, who, collection.id);
        if (access) views.push({ collection, canRead: access.canRead, canWrite: access.canWrite });
      }
      return views.sort((a, b) => compareIds(a.collection.id, b.collection.id));
    },

    async get(who, apiRootId, idOrAlias) {
      const policy = await deps.policy.current();
      const cp = find(policy, apiRootId, idOrAlias);
      const access = cp && collectionAccess(policy, who, cp.collection.id);
      if (!cp || !access) throw notFoundError(collectionLabel(apiRootId, idOrAlias));
      return { collection: cp.collection, canRead: access.canRead, canWrite: access.canWrite };
    },

    async resolveForAction<A extends CollectionAction>(who: Principal | undefined, apiRootId: string, idOrAlias: string, action: A): Promise<CollectionResolution[A]> {
      if (who === undefined) throw accessDenied('anonymous', collectionLabel(apiRootId, idOrAlias));
      const policy = await deps.policy.current();
      const cp = find(policy, apiRootId, idOrAlias);
      if (!cp) throw notFoundError(collectionLabel(apiRootId, idOrAlias));
      const rule = enforceDecision(decide(policy, who, action, { collectionId: cp.collection.id }), collectionLabel(apiRootId, idOrAlias));
      if (action === 'read' && rule === 'operator') await auditOperatorRead(who, cp.collection);
      return resolvers[action](policy, who, cp.collection, rule);
    },
  };
}

function collectionLabel(apiRootId: string, idOrAlias: string): string {
  return `collection ${idOrAlias} in API root ${apiRootId}`;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

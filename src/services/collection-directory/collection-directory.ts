import { collectionAccess } from '../../access';
import { hubError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import type { Collection } from '../../domain/tenancy';
import type { PolicyService } from '../policy-service';

/**
 * Every collection a principal may see, across API roots, with what it may do there: what a web
 * console or a script needs to offer a choice of collection (TAXII 2.1 lists them per API root). The
 * answer comes from the access module, as TAXII's own `can_read` / `can_write` do.
 */
export interface CollectionDirectory {
  list(who: Principal | undefined): Promise<readonly VisibleCollection[]>;
}

export interface VisibleCollection {
  readonly collection: Collection;
  readonly canRead: boolean;
  readonly canWrite: boolean;
}

export function createCollectionDirectory(deps: { readonly policy: Pick<PolicyService, 'current'> }): CollectionDirectory {
  return {
    async list(who) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED');
      const policy = await deps.policy.current();
      const visible: VisibleCollection[] = [];
      for (const { collection } of policy.collections.values()) {
        const access = collectionAccess(policy, who, collection.id);
        if (access !== undefined) visible.push({ collection, canRead: access.canRead, canWrite: access.canWrite });
      }
      return visible.sort((a, b) => a.collection.title.localeCompare(b.collection.title) || (a.collection.id < b.collection.id ? -1 : 1));
    },
  };
}

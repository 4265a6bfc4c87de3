import { hubError } from '../domain/errors';
import type { Principal } from '../domain/principal';
import type { HubInfo } from '../config/hub-config';
import type { ApiRoot } from '../domain/tenancy';
import type { TenancyStore } from '../storage/tenancy-store';

export interface DiscoveryInfo {
  readonly hub: HubInfo;
  /** The API roots the principal may know of, ordered by id. */
  readonly apiRoots: readonly ApiRoot[];
}

/** The use cases behind TAXII 2.1 Server Discovery (§4.1) and Get API Root Information (§4.2). */
export interface DiscoveryService {
  discover(principal: Principal): Promise<DiscoveryInfo>;
  /** The API root with this id; HubError NOT_FOUND when there is none. */
  apiRoot(principal: Principal, apiRootId: string): Promise<ApiRoot>;
}

export interface DiscoveryDependencies {
  readonly store: TenancyStore;
  /** How the hub introduces itself: the hub config's `hub` section. */
  readonly hub: HubInfo;
}

/**
 * Every authenticated principal sees every API root for now: API roots carry no data themselves,
 * and per-client visibility is applied where the data is (collections, objects).
 */
export function createDiscoveryService(deps: DiscoveryDependencies): DiscoveryService {
  return {
    async discover(_principal: Principal): Promise<DiscoveryInfo> {
      const apiRoots = [...(await deps.store.apiRoots.list())].sort((a, b) => a.id.localeCompare(b.id));
      return { hub: deps.hub, apiRoots };
    },
    async apiRoot(_principal: Principal, apiRootId: string): Promise<ApiRoot> {
      const root = await deps.store.apiRoots.get(apiRootId);
      if (!root) throw hubError('NOT_FOUND', `There is no API root ${apiRootId}`);
      return root;
    },
  };
}

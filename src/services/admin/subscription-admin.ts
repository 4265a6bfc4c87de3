import { isOperatorPrincipal, mayReadOrganization } from '../../access/admin-permissions';
import type { Principal } from '../../domain/principal';
import type { Subscription, SubscriptionStore } from '../../storage/subscription-store';
import { collectionNamedIfAny } from '../collection-names';
import type { DeliveryStatus } from '../delivery/subscription-service';
import type { PolicyService } from '../policy-service';
import { enforce } from './admin-context';

/**
 * Subscriptions and where their delivery stands, for operators (every organization) and org-admins
 * (their own organization). Read-only: subscribers manage their subscriptions over TAXII 1.1.
 */

export interface SubscriptionAdminDeps {
  readonly store: Pick<SubscriptionStore, 'list'>;
  readonly deliveryStatus: (subscription: Subscription) => Promise<DeliveryStatus>;
}

export interface SubscriptionFilterInput {
  readonly organizationId?: string;
  readonly collectionId?: string;
}

export interface AdminSubscription {
  readonly subscription: Subscription;
  readonly delivery: DeliveryStatus;
}

export function subscriptionAdmin(deps: SubscriptionAdminDeps | undefined, policy?: Pick<PolicyService, 'current'>) {
  return {
    async list(who: Principal, filter: SubscriptionFilterInput): Promise<AdminSubscription[]> {
      let organizationId = filter.organizationId;
      if (!isOperatorPrincipal(who)) {
        // Not an operator: an org-admin, for its own organization only.
        enforce(mayReadOrganization(who, organizationId ?? who.organizationId), `subscriptions of organization '${organizationId ?? who.organizationId}'`);
        organizationId = who.organizationId;
      }
      if (!deps) return []; // a hub without the delivery engine keeps no subscriptions
      // The collection filter takes an alias too (one the caller sees; else it filters by what was given, matching nothing).
      const named = filter.collectionId === undefined || policy === undefined ? undefined : collectionNamedIfAny(await policy.current(), filter.collectionId, { who }, 'collection');
      const collectionId = named?.collection.id ?? filter.collectionId;
      const subscriptions = await deps.store.list({ ...(organizationId !== undefined ? { organizationId } : {}), ...(collectionId !== undefined ? { collectionId } : {}) });
      return Promise.all(subscriptions.map(async (subscription) => ({ subscription, delivery: await deps.deliveryStatus(subscription) })));
    },
  };
}

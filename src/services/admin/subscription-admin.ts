import { isOperatorPrincipal, mayReadOrganization } from '../../access/admin-permissions';
import type { Principal } from '../../domain/principal';
import type { Subscription, SubscriptionStore } from '../../storage/subscription-store';
import type { DeliveryStatus } from '../delivery/subscription-service';
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

export function subscriptionAdmin(deps: SubscriptionAdminDeps | undefined) {
  return {
    async list(who: Principal, filter: SubscriptionFilterInput): Promise<AdminSubscription[]> {
      let organizationId = filter.organizationId;
      if (!isOperatorPrincipal(who)) {
        // Not an operator: an org-admin, for its own organization only.
        enforce(mayReadOrganization(who, organizationId ?? who.organizationId), `subscriptions of organization '${organizationId ?? who.organizationId}'`);
        organizationId = who.organizationId;
      }
      if (!deps) return []; // a hub without the delivery engine keeps no subscriptions
      const subscriptions = await deps.store.list({ ...(organizationId !== undefined ? { organizationId } : {}), ...(filter.collectionId !== undefined ? { collectionId: filter.collectionId } : {}) });
      return Promise.all(subscriptions.map(async (subscription) => ({ subscription, delivery: await deps.deliveryStatus(subscription) })));
    },
  };
}

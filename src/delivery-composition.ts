import type { Logger } from 'pino';
import type { Metrics } from './http/ops/metrics';
import { taxii11PushCodec } from './http/taxii11/push-codec';
import { createTaxii11PushChannel } from './services/delivery/channels/taxii11-push-channel';
import { createDeliveryEngine, type DeliveryEngine, type DeliverySettings } from './services/delivery/delivery-engine';
import { createGuardedHttpClient } from './services/delivery/outbound/guarded-http-client';
import { createSubscriptionService, type SubscribableCollections, type SubscriptionService } from './services/delivery/subscription-service';
import type { PolicyService } from './services/policy-service';
import { renderBlocks, type BlockRenderingDeps } from './services/taxii11/poll-blocks';
import type { FeedStore } from './storage/feed-store';
import type { Database } from './storage/sql/database';
import { SqlSubscriptionStore } from './storage/sql/sql-subscription-store';
import type { SubscriptionStore } from './storage/subscription-store';
import type { TenancyStore } from './storage/tenancy-store';

/**
 * The delivery part of the composition root: subscriptions over their store, and the one delivery
 * engine with its channels (the TAXII 1.1 push today). A push carries the same STIX 1.x packages a
 * poll of the same records would (the poll path's block rendering, per subscriber).
 */

export interface DeliveryParts {
  readonly db: Database;
  readonly store: TenancyStore;
  readonly policy: PolicyService;
  readonly feed: FeedStore;
  readonly collections: SubscribableCollections;
  readonly blocks: BlockRenderingDeps;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly settings?: Partial<DeliverySettings>;
}

export interface Delivery {
  readonly engine: DeliveryEngine;
  readonly subscriptions: SubscriptionService;
  /** The stored subscriptions, for the admin API's listing. */
  readonly store: SubscriptionStore;
}

export function composeDelivery(parts: DeliveryParts): Delivery {
  const subscriptionStore = new SqlSubscriptionStore(parts.db);
  const engine = createDeliveryEngine({
    subscriptions: subscriptionStore,
    feed: parts.feed,
    policy: parts.policy,
    tenancy: parts.store,
    channels: [
      createTaxii11PushChannel({
        codec: taxii11PushCodec,
        renderBlocks: (batch, bindingId) =>
          renderBlocks(parts.blocks, { reader: batch.reader, policy: batch.policy, collectionId: batch.collection.id, scope: batch.scope, bindingId }, batch.records),
      }),
    ],
    client: createGuardedHttpClient(),
    logger: parts.logger,
    metrics: parts.metrics,
    ...(parts.settings !== undefined ? { settings: parts.settings } : {}),
  });
  const subscriptions = createSubscriptionService({
    subscriptions: subscriptionStore,
    collections: parts.collections,
    feed: parts.feed,
    policy: parts.policy,
    tenancy: parts.store,
    onDue: (collectionId) => engine.wake(collectionId),
  });
  return { engine, subscriptions, store: subscriptionStore };
}

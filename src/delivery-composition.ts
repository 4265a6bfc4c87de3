import type { Logger } from 'pino';
import type { Metrics } from './http/ops/metrics';
import { taxii11PushCodec } from './http/taxii11/push-codec';
import { createTaxii11PushChannel } from './services/delivery/channels/taxii11-push-channel';
import { createTaxii21Forwarding } from './services/delivery/channels/taxii21-forward-channel';
import { createCredentialBox } from './services/delivery/forwarding/forward-credentials';
import { createForwardService, type ForwardService } from './services/delivery/forwarding/forward-service';
import { SqlForwardStore } from './storage/sql/sql-forward-store';
import { createWebhookChannel } from './services/delivery/channels/webhook-channel';
import { createSecretBox } from './services/delivery/webhooks/webhook-secrets';
import { createWebhookService, type WebhookService } from './services/delivery/webhooks/webhook-service';
import { SqlWebhookStore } from './storage/sql/sql-webhook-store';
import { SqlChangeFeedStore } from './storage/sql/sql-change-feed-store';
import { SqlHubSecretRepository } from './storage/sql/repositories/hub-secret-repository';
import { SqlObjectStore } from './storage/sql/sql-object-store';
import { createDeliveryEngine, type DeliveryEngine, type DeliverySettings } from './services/delivery/delivery-engine';
import { createGuardedHttpClient } from './services/delivery/outbound/guarded-http-client';
import { createSubscriptionService, type SubscribableCollections, type SubscriptionService } from './services/delivery/subscription-service';
import type { PolicyService } from './services/policy-service';
import { renderBlocks, type BlockRenderingDeps } from './services/taxii11/poll-blocks';
import type { FeedStore } from './storage/feed-store';
import type { Database } from './storage/sql/database';
import { SqlAudienceStore } from './storage/sql/sql-audience-store';
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
  /** Forwards to TAXII 2.1 servers (the hub API's /api/forwards). */
  readonly forwards: ForwardService;
  /** Webhooks (the hub API's /api/webhooks). */
  readonly webhooks: WebhookService;
}

export function composeDelivery(parts: DeliveryParts): Delivery {
  const subscriptionStore = new SqlSubscriptionStore(parts.db);
  const forwardStore = new SqlForwardStore(parts.db);
  const forwardCredentials = createCredentialBox(new SqlHubSecretRepository(parts.db));
  const forwarding = createTaxii21Forwarding({ forwards: forwardStore, credentials: forwardCredentials, objects: new SqlObjectStore(parts.db) });
  const webhookStore = new SqlWebhookStore(parts.db);
  const webhookSecrets = createSecretBox(new SqlHubSecretRepository(parts.db));
  const webhookChannel = createWebhookChannel({ store: webhookStore, box: webhookSecrets, onError: (error) => parts.logger.warn({ err: error }, 'logging a webhook attempt failed') });
  const engine = createDeliveryEngine({
    subscriptions: subscriptionStore,
    changes: new SqlChangeFeedStore(parts.db),
    audiences: new SqlAudienceStore(parts.db),
    policy: parts.policy,
    tenancy: parts.store,
    channels: [
      createTaxii11PushChannel({
        codec: taxii11PushCodec,
        renderBlocks: (batch, bindingId) =>
          renderBlocks(parts.blocks, { reader: batch.reader, policy: batch.policy, collectionId: batch.collection.id, scope: batch.scope, bindingId }, batch.records),
      }),
      forwarding.channel,
      webhookChannel,
    ],
    client: webhookChannel.recording(forwarding.client(createGuardedHttpClient())),
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
  const forwards = createForwardService({
    forwards: forwardStore,
    subscriptions: subscriptionStore,
    credentials: forwardCredentials,
    policy: parts.policy,
    tenancy: parts.store,
    feed: parts.feed,
    changes: new SqlChangeFeedStore(parts.db),
    onDue: (collectionId) => engine.wake(collectionId),
  });
  const webhooks = createWebhookService({
    webhooks: webhookStore,
    subscriptions: subscriptionStore,
    changes: new SqlChangeFeedStore(parts.db),
    policy: parts.policy,
    tenancy: parts.store,
    box: webhookSecrets,
    client: createGuardedHttpClient(),
    onDue: (collectionId) => engine.wake(collectionId),
    flushAttempts: () => webhookChannel.flushAttempts(),
  });
  return { engine, subscriptions, store: subscriptionStore, forwards, webhooks };
}

import type { RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import { composeDelivery, type Delivery } from './delivery-composition';
import type { Metrics } from './http/ops/metrics';
import { subscriptionHandler } from './http/taxii11/subscription-handler';
import type { SubscriptionLookup } from './http/taxii11/poll-handler';
import type { SubscriptionService } from './services/delivery/subscription-service';
import { indicatorToStix12, readStix1Package } from './domain/stix1';
import { CONTENT_BINDING_STIX_111 } from './domain/taxii11';
import { nowMicros } from './domain/timestamps';
import { collectionInformationHandler } from './http/taxii11/collection-information-handler';
import { discoveryHandler } from './http/taxii11/discovery-handler';
import { inboxHandler } from './http/taxii11/inbox-handler';
import { pollFulfillmentHandler, pollHandler } from './http/taxii11/poll-handler';
import { createTaxii11Router } from './http/taxii11/taxii11-router';
import type { CollectionService } from './services/collection-service';
import type { PolicyService } from './services/policy-service';
import type { PollRecorder } from './services/poll-marks/poll-recorder';
import type { HubIdentity } from './services/sharing/hub-identity';
import { createTaxii11InboxService } from './services/taxii11/inbox-service';
import { policyDestinations } from './services/taxii11/inbox-destinations';
import type { BlockRenderer, BlockRenderingDeps } from './services/taxii11/poll-blocks';
import { createTaxii11PollService } from './services/taxii11/poll-service';
import { createTaxii11Collections, visibleCollections, type Taxii11Collections } from './services/taxii11/taxii11-collections';
import type { Database } from './storage/sql/database';
import { SqlFeedStore } from './storage/sql/sql-feed-store';
import type { ObjectStore } from './storage/object-store';
import { SqlResultSetStore } from './storage/sql/sql-result-set-store';
import type { TenancyStore } from './storage/tenancy-store';
import type { StixValidator } from './validation/stix-validator';

/**
 * The TAXII 1.1 part of the composition root: its services over the hub's stores and policy, the
 * STIX 1.x bridge plugged into them, and the router that serves them at /taxii1.
 */

export interface Taxii11Parts {
  readonly db: Database;
  readonly store: TenancyStore;
  readonly policy: PolicyService;
  readonly collections: CollectionService;
  readonly objects: ObjectStore;
  readonly hubIdentity: HubIdentity;
  readonly validate: StixValidator;
  readonly authenticate: RequestHandler;
  /** The hub's title: the information source of what it shares without attribution. */
  readonly hubName: string;
  readonly publicUrl: string | undefined;
  readonly bodyLimitBytes: number;
  /** Told how many records of a poll answer did not map to STIX 1.x. */
  readonly onUnmapped?: (count: number) => void;
  readonly onRenderError?: (error: unknown) => void;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Told of every answered poll (issue 16). */
  readonly polls?: Pick<PollRecorder, 'polled'>;
}

/** The STIX 1.x id namespace of what the hub emits: under its public URL when it has one. */
export function stix1IdNamespace(publicUrl: string | undefined): { prefix: string; uri: string } {
  return { prefix: 'taxii-hub', uri: publicUrl !== undefined ? `${publicUrl.replace(/\/+$/, '')}/stix1` : 'urn:taxii-hub:stix1' };
}

/**
 * A record as the STIX 1.x package of its content block, in the STIX version of the binding asked
 * for. A provider's own STIX 1.x ids (and their namespace) name it: an indicator that came as STIX
 * 1.x keeps them only for a reader who may know the provider.
 */
export function stix1BlockRenderer(publicUrl: string | undefined): BlockRenderer {
  const idNamespace = stix1IdNamespace(publicUrl);
  return ({ object, bindingId, source, campaigns, attributionShown }) => {
    const stixVersion = bindingId === CONTENT_BINDING_STIX_111 ? '1.1.1' : '1.2';
    const outcome = indicatorToStix12(object, { idNamespace, source, campaigns, nowMicros: nowMicros(), keepProviderIds: attributionShown, stixVersion });
    return outcome.ok ? { contentXml: outcome.packageXml } : undefined;
  };
}

export function composeTaxii11(parts: Taxii11Parts): { readonly router: Router; readonly collections: Taxii11Collections; readonly delivery: Delivery } {
  const feed = new SqlFeedStore(parts.db);
  const collections = createTaxii11Collections({ collections: parts.collections, policy: parts.policy, feed });
  const blocks: BlockRenderingDeps = {
    feed,
    organizations: parts.store.organizations,
    hubIdentity: parts.hubIdentity,
    hubName: parts.hubName,
    renderBlock: stix1BlockRenderer(parts.publicUrl),
    ...(parts.onUnmapped !== undefined ? { onUnmapped: parts.onUnmapped } : {}),
    ...(parts.onRenderError !== undefined ? { onRenderError: parts.onRenderError } : {}),
  };
  const polls = createTaxii11PollService({ ...blocks, collections, feed, resultSets: new SqlResultSetStore(parts.db), policy: parts.policy, ...(parts.polls !== undefined ? { polls: parts.polls } : {}) });
  const delivery = composeDelivery({ db: parts.db, store: parts.store, policy: parts.policy, feed, collections, blocks, logger: parts.logger, metrics: parts.metrics });
  const inbox = createTaxii11InboxService({
    destinations: policyDestinations(parts.policy),
    readPackage: readStix1Package,
    objects: parts.objects,
    organizations: parts.store.organizations,
    policy: parts.policy,
    validate: parts.validate,
    hubIdentity: parts.hubIdentity,
  });
  const router = createTaxii11Router({
    authenticate: parts.authenticate,
    publicUrl: parts.publicUrl,
    bodyLimitBytes: parts.bodyLimitBytes,
    handlers: {
      // Discovery needs only whether the caller may read or write somewhere: from the policy, no counts.
      discovery: discoveryHandler({ list: async (who) => visibleCollections(await parts.policy.current(), who) }),
      'collection-information': collectionInformationHandler(collections),
      'subscription-management': subscriptionHandler(delivery.subscriptions),
      poll: pollHandler(polls, subscriptionLookup(delivery.subscriptions)),
      'poll-fulfillment': pollFulfillmentHandler(polls),
      inbox: inboxHandler(inbox),
    },
  });
  return { router, collections, delivery };
}

/** A poll by Subscription_ID: the caller's organization's subscription on that collection, with its parameters. */
function subscriptionLookup(subscriptions: SubscriptionService): SubscriptionLookup {
  return async (who, collectionName, id) => {
    const found = await subscriptions.find(who, collectionName, id);
    return { id: found.id, responseType: found.responseType, contentBindings: found.contentBindings };
  };
}

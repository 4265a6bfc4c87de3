import { randomUUID } from 'node:crypto';
import { hubError, isHubError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import type { Collection } from '../../domain/tenancy';
import type { FeedStore } from '../../storage/feed-store';
import type { ContentBindingChoice, PushTarget, ResponseType, Subscription, SubscriptionStore } from '../../storage/subscription-store';
import type { TenancyRepositories } from '../../storage/tenancy-store';
import type { PolicyService } from '../policy-service';
import { PUSH_CONTENT_BINDINGS, TAXII11_PUSH_BINDINGS } from './channels/taxii11-push-channel';
import { compileAllowList, hostAllowed } from './outbound/delivery-allow-list';
import { subscriberAccess } from './subscriber-access';

/**
 * TAXII 1.1 Subscription Management (SB-01..SB-10) over the subscription store, processed in the
 * order SB-03 prescribes; every check comes before any write, so an answer that is a Status_Message
 * (a thrown HubError) changed nothing (SB-04). Subscriptions belong to the caller's organization:
 * another organization's id is NOT_FOUND and never listed (MT-02, SB-07, SB-08).
 */

export type SubscriptionAction = 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'PAUSE' | 'RESUME' | 'STATUS';

/** A Subscription_Management_Request as the TAXII 1.1 parser reads it. */
export interface SubscriptionRequest {
  readonly collectionName: string;
  readonly action: SubscriptionAction;
  readonly subscriptionId?: string;
  readonly parameters?: { readonly responseType: ResponseType; readonly contentBindings: readonly ContentBindingChoice[]; readonly query: boolean };
  readonly push?: PushTarget;
}

/** Where a subscription's delivery stands (the STATUS answer and the admin API). */
export interface DeliveryStatus {
  /** The last label delivered (µs); everything up to it reached the subscriber. */
  readonly cursor: number;
  readonly lastSuccessAt: Date | null;
  readonly lastAttemptAt: Date | null;
  readonly lastError: string | null;
  readonly lastErrorAt: Date | null;
  readonly consecutiveFailures: number;
  readonly nextAttemptAt: Date | null;
  readonly deliveredRecords: number;
  /** Records the subscriber may read now after the cursor; undefined when it may read nothing (see lastError). */
  readonly backlog: number | undefined;
}

export interface SubscriptionView {
  readonly id: string;
  readonly status: 'ACTIVE' | 'PAUSED' | 'UNSUBSCRIBED';
  readonly responseType?: ResponseType;
  readonly contentBindings?: readonly ContentBindingChoice[];
  /** Present iff the hub pushes this subscription (SB-06). */
  readonly push?: PushTarget;
  readonly delivery?: DeliveryStatus;
}

export interface SubscriptionAnswer {
  readonly collectionName: string;
  readonly collectionId: string;
  /** One for SUBSCRIBE, UNSUBSCRIBE, PAUSE and RESUME; the caller's organization's for STATUS (SB-06). */
  readonly subscriptions: readonly SubscriptionView[];
}

/** How a TAXII 1.1 collection name resolves for a caller (the TAXII 1.1 collections service). */
export interface SubscribableCollections {
  /** Throws AUTHENTICATION_REQUIRED, NOT_FOUND, or FORBIDDEN when the caller sees it but may not read. */
  resolve(who: Principal | undefined, name: string, action: 'read'): Promise<{ readonly name: string; readonly collection: Collection }>;
  list(who: Principal): Promise<readonly { readonly name: string; readonly collection: Collection }[]>;
}

export interface SubscriptionServiceDeps {
  readonly subscriptions: SubscriptionStore;
  readonly collections: SubscribableCollections;
  readonly feed: Pick<FeedStore, 'lastLabel' | 'count'>;
  readonly policy: Pick<PolicyService, 'current'>;
  readonly tenancy: Pick<TenancyRepositories, 'users' | 'organizations'>;
  /** Told when a subscription became due (RESUME, SUBSCRIBE): the engine's wake. */
  readonly onDue?: (collectionId: string) => void;
  readonly now?: () => Date;
}

export interface SubscriptionService {
  manage(who: Principal | undefined, request: SubscriptionRequest): Promise<SubscriptionAnswer>;
  /**
   * The caller's organization's subscription `id` on the named collection, as a poll by
   * Subscription_ID needs it (no delivery status worked out): NOT_FOUND (ITEM) otherwise.
   */
  find(who: Principal | undefined, collectionName: string, id: string): Promise<Subscription>;
  /** The delivery status of stored subscriptions (admin API: the caller checks permissions). */
  deliveryStatus(subscription: Subscription): Promise<DeliveryStatus>;
}

const PROTOCOL_BINDINGS: readonly string[] = [TAXII11_PUSH_BINDINGS.protocolHttp, TAXII11_PUSH_BINDINGS.protocolHttps];

export function createSubscriptionService(deps: SubscriptionServiceDeps): SubscriptionService {
  const now = deps.now ?? (() => new Date());

  async function resolveCollection(who: Principal | undefined, request: SubscriptionRequest): Promise<{ name: string; collection: Collection }> {
    try {
      return await deps.collections.resolve(who, request.collectionName, 'read');
    } catch (error) {
      // A subscriber that lost read access may still see, pause, resume and end its subscriptions.
      if (who === undefined || request.action === 'SUBSCRIBE' || !isHubError(error) || error.code !== 'FORBIDDEN') throw error;
      const seen = (await deps.collections.list(who)).find((c) => c.name === request.collectionName);
      if (!seen) throw error;
      return seen;
    }
  }

  async function deliveryStatus(s: Subscription): Promise<DeliveryStatus> {
    let backlog: number | undefined;
    const access = await subscriberAccess(deps.tenancy.users, await deps.policy.current(), s);
    if (access.ok) backlog = await deps.feed.count({ collectionId: s.collectionId, scope: access.scope, types: ['indicator'], addedAfter: s.cursor });
    const pushing = s.channel === 'taxii11-push';
    return {
      cursor: s.cursor,
      lastSuccessAt: s.delivery.lastSuccessAt,
      lastAttemptAt: s.delivery.lastAttemptAt,
      lastError: s.delivery.lastError,
      lastErrorAt: s.delivery.lastErrorAt,
      consecutiveFailures: s.delivery.consecutiveFailures,
      nextAttemptAt: pushing && s.status === 'ACTIVE' ? s.delivery.nextAttemptAt : null,
      deliveredRecords: s.delivery.deliveredRecords,
      backlog,
    };
  }

  async function view(s: Subscription, withDelivery: boolean): Promise<SubscriptionView> {
    return {
      id: s.id,
      status: s.status,
      responseType: s.responseType,
      contentBindings: s.contentBindings,
      ...(s.push ? { push: s.push } : {}),
      ...(withDelivery ? { delivery: await deliveryStatus(s) } : {}),
    };
  }

  async function owned(who: Principal, collection: Collection, id: string | undefined): Promise<Subscription | undefined> {
    if (id === undefined) return undefined;
    const found = await deps.subscriptions.get(who.organizationId, id);
    return found?.collectionId === collection.id && isTaxii11(found) ? found : undefined;
  }

  function requireId(request: SubscriptionRequest): string {
    if (request.subscriptionId === undefined || request.subscriptionId.trim() === '') {
      throw hubError('BAD_REQUEST', `a ${request.action} request must name a Subscription_ID (SB-01)`);
    }
    return request.subscriptionId.trim();
  }

  const notFound = (id: string) => hubError('NOT_FOUND', { description: `no subscription '${id}' of your organization on this collection`, statusDetails: [{ name: 'ITEM', value: id }] });

  async function subscribe(who: Principal, collection: { name: string; collection: Collection }, request: SubscriptionRequest): Promise<SubscriptionView> {
    const parameters = request.parameters ?? { responseType: 'FULL' as const, contentBindings: [], query: false };
    if (request.push) checkPushBindings(request.push);
    if (parameters.query) throw hubError('UNSUPPORTED_QUERY', { description: 'the hub supports no query in subscriptions; subscribe without a Query', statusDetails: [] });
    const unsupported = parameters.contentBindings.filter((b) => !PUSH_CONTENT_BINDINGS.includes(b.bindingId));
    if (unsupported.length > 0) {
      throw hubError('UNSUPPORTED_CONTENT_BINDING', {
        description: `content binding ${unsupported.map((b) => `'${b.bindingId}'`).join(', ')} is not offered; this collection offers ${PUSH_CONTENT_BINDINGS.join(' and ')}`,
        statusDetails: PUSH_CONTENT_BINDINGS.map((value) => ({ name: 'SUPPORTED_CONTENT', value })),
      });
    }
    if (request.push) await checkPushAddress(who, request.push);
    const outcome = await deps.subscriptions.insert({
      id: randomUUID(),
      collectionId: collection.collection.id,
      collectionName: collection.name,
      organizationId: who.organizationId,
      userId: who.userId,
      channel: request.push ? 'taxii11-push' : 'taxii11-poll',
      responseType: parameters.responseType,
      contentBindings: parameters.contentBindings,
      ...(request.push ? { push: request.push } : {}),
      // A subscription delivers what is added after it is made.
      cursor: await deps.feed.lastLabel(collection.collection.id),
      createdAt: now(),
    });
    return view(outcome.subscription, false);
  }

  /** SB-03 (4): push parameters the hub can honour. */
  function checkPushBindings(push: PushTarget): void {
    if (!PROTOCOL_BINDINGS.includes(push.protocolBinding)) {
      throw hubError('UNSUPPORTED_PROTOCOL_BINDING', {
        description: `protocol binding '${push.protocolBinding}' is not supported for push; use ${PROTOCOL_BINDINGS.join(' or ')}`,
        statusDetails: PROTOCOL_BINDINGS.map((value) => ({ name: 'SUPPORTED_PROTOCOL', value })),
      });
    }
    if (push.messageBinding !== TAXII11_PUSH_BINDINGS.messageXml11) {
      throw hubError('UNSUPPORTED_MESSAGE_BINDING', {
        description: `message binding '${push.messageBinding}' is not supported for push; use ${TAXII11_PUSH_BINDINGS.messageXml11}`,
        statusDetails: [{ name: 'SUPPORTED_MESSAGE', value: TAXII11_PUSH_BINDINGS.messageXml11 }],
      });
    }
  }

  /** An address of the binding's scheme whose host the organization's allow-list names (resolved addresses are checked at each delivery). */
  async function checkPushAddress(who: Principal, push: PushTarget): Promise<void> {
    let url: URL;
    try {
      url = new URL(push.address);
    } catch {
      throw hubError('BAD_REQUEST', `the push Address '${push.address.slice(0, 200)}' is not an absolute URL`);
    }
    const scheme = push.protocolBinding === TAXII11_PUSH_BINDINGS.protocolHttps ? 'https:' : 'http:';
    if (url.protocol !== scheme) {
      throw hubError('UNSUPPORTED_PROTOCOL_BINDING', { description: `the push Address must be an ${scheme.slice(0, -1)} URL for protocol binding '${push.protocolBinding}'`, statusDetails: [] });
    }
    if (url.username !== '' || url.password !== '') throw hubError('BAD_REQUEST', 'the push Address must not carry credentials');
    const organization = await deps.tenancy.organizations.get(who.organizationId);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    if (!hostAllowed(compileAllowList(organization?.deliveryAllowList), host)) {
      throw hubError('FORBIDDEN', {
        description: `the push Address's host '${host}' is not on the delivery allow-list of organization '${who.organizationId}'; the hub operator adds it (delivery_allow_list)`,
      });
    }
  }

  return {
    deliveryStatus,

    async find(who, collectionName, id) {
      const collection = await resolveCollection(who, { collectionName, action: 'STATUS', subscriptionId: id });
      const found = who === undefined ? undefined : await owned(who, collection.collection, id);
      if (!found) throw notFound(id);
      return found;
    },

    async manage(who, request) {
      const collection = await resolveCollection(who, request); // SB-03 (1), (2)
      if (!who) throw hubError('AUTHENTICATION_REQUIRED');
      const answer = (subscriptions: readonly SubscriptionView[]): SubscriptionAnswer => ({ collectionName: collection.name, collectionId: collection.collection.id, subscriptions });
      switch (request.action) {
        case 'UNSUBSCRIBE': {
          const id = requireId(request);
          const found = await owned(who, collection.collection, id);
          // SB-03 (3): an unknown id is answered as unsubscribed too.
          if (found) await deps.subscriptions.delete(who.organizationId, id);
          return answer([{ id, status: 'UNSUBSCRIBED', ...(found ? { responseType: found.responseType, contentBindings: found.contentBindings } : {}) }]);
        }
        case 'SUBSCRIBE': {
          const created = await subscribe(who, collection, request);
          if (created.push) deps.onDue?.(collection.collection.id);
          return answer([created]);
        }
        case 'PAUSE':
        case 'RESUME': {
          const id = requireId(request);
          const found = await owned(who, collection.collection, id);
          if (!found) throw notFound(id); // SB-03 (7)
          const status = request.action === 'PAUSE' ? 'PAUSED' : 'ACTIVE';
          // SB-03 (6): pausing a paused (resuming an active) subscription changes nothing.
          if (found.status !== status) {
            await deps.subscriptions.setStatus(who.organizationId, id, status, now());
            if (status === 'ACTIVE' && found.push) deps.onDue?.(found.collectionId);
          }
          return answer([await view({ ...found, status }, false)]);
        }
        case 'STATUS': {
          if (request.subscriptionId !== undefined) {
            const found = await owned(who, collection.collection, request.subscriptionId);
            if (!found) throw notFound(request.subscriptionId);
            return answer([await view(found, true)]);
          }
          const all = (await deps.subscriptions.list({ organizationId: who.organizationId, collectionId: collection.collection.id })).filter(isTaxii11);
          return answer(await Promise.all(all.map((s) => view(s, true))));
        }
      }
    },
  };
}

/** TAXII 1.1 Subscription Management sees TAXII 1.1 subscriptions only, never a webhook's or a forward's (managed through their own API). */
function isTaxii11(s: Subscription): boolean {
  return s.channel === 'taxii11-push' || s.channel === 'taxii11-poll';
}

/** One line per subscription, for the Message of a STATUS answer (TAXII has no element for it). */
export function describeDeliveryStatus(views: readonly SubscriptionView[]): string | undefined {
  const lines = views.flatMap((v) => {
    const d = v.delivery;
    if (!d) return [];
    const parts = [
      `subscription ${v.id}: ${v.status.toLowerCase()}`,
      v.push ? `last delivery ${d.lastSuccessAt ? d.lastSuccessAt.toISOString() : 'never'}` : 'polled',
      `backlog ${d.backlog === undefined ? 'unknown (no read access)' : d.backlog}`,
    ];
    if (d.lastError) parts.push(`last error ${d.lastErrorAt ? `at ${d.lastErrorAt.toISOString()} ` : ''}${d.lastError}`);
    return [parts.join('; ')];
  });
  return lines.length > 0 ? lines.join('\n') : undefined;
}

import { randomUUID } from 'node:crypto';
import { readScope } from '../../../access';
import { hubError } from '../../../domain/errors';
import { actorName, isOperator, type Principal } from '../../../domain/principal';
import type { ChangeFeedStore } from '../../../storage/change-feed-store';
import type { FeedStore } from '../../../storage/feed-store';
import type { CredentialSummary, Forward, ForwardFilter, ForwardStore } from '../../../storage/forward-store';
import type { SubscriptionStatus, SubscriptionStore } from '../../../storage/subscription-store';
import type { TenancyRepositories } from '../../../storage/tenancy-store';
import { collectionNamedIfAny } from '../../collection-names';
import type { PolicyService } from '../../policy-service';
import { eventBacklog, type EventBacklog } from '../delivery-backlog';
import { allowListWarning, deliveringUser, mayManageDeliveries, readerOf, requireDeliveryManager } from '../delivery-owners';
import type { CredentialBox, ForwardCredentials } from './forward-credentials';

/**
 * Forwards (issue 13 §3): an org-admin (for its organization) or an operator (for any) forwards what
 * the organization may read in a hub collection to a collection on a remote TAXII 2.1 server. A
 * forward reads as one user of the organization (the creator, or `run_as`), with that user's rights
 * at every delivery, like a subscription; the delivery engine sends it (channels/taxii21-forward-
 * channel.ts). Another organization's forward is NOT_FOUND; credentials are sealed at once and never
 * shown again.
 */

/** A create request as schemas/forward.schema.json#/definitions/create defines it. */
export interface ForwardRequest {
  readonly collection: string;
  readonly api_root_url: string;
  readonly remote_collection: string;
  readonly credentials?: ForwardCredentials;
  readonly filter?: { readonly types?: string[]; readonly kinds?: string[] };
  readonly max_objects?: number;
  readonly max_bytes?: number;
  readonly start?: 'now' | 'beginning';
  readonly organization?: string;
  readonly run_as?: string;
}

export interface ForwardDelivery {
  readonly cursor: number;
  readonly lastAttemptAt: Date | null;
  readonly lastSuccessAt: Date | null;
  readonly lastError: string | null;
  readonly lastErrorAt: Date | null;
  readonly consecutiveFailures: number;
  readonly nextAttemptAt: Date | null;
  readonly deliveredObjects: number;
  /** Events waiting after the cursor that the forward's user may read now, of the filter's types (null: it may read nothing). */
  readonly backlog: EventBacklog | null;
}

export interface ForwardView {
  readonly id: string;
  readonly organization: string;
  readonly collection: string;
  readonly status: 'active' | 'paused';
  readonly runAs: string;
  readonly apiRootUrl: string;
  readonly remoteCollection: string;
  readonly credentials: CredentialSummary;
  readonly filter: ForwardFilter;
  readonly maxObjects: number;
  readonly maxBytes: number;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly delivery: ForwardDelivery;
}

export interface ForwardCreated {
  readonly forward: ForwardView;
  /** What will stop delivery until someone acts (e.g. the allow-list does not cover the remote host). */
  readonly warnings: readonly string[];
}

export interface ForwardService {
  create(who: Principal, request: ForwardRequest): Promise<ForwardCreated>;
  list(who: Principal, filter: { readonly organization?: string }): Promise<ForwardView[]>;
  get(who: Principal, id: string): Promise<ForwardView>;
  setStatus(who: Principal, id: string, status: SubscriptionStatus): Promise<ForwardView>;
  remove(who: Principal, id: string): Promise<void>;
}

export interface ForwardServiceDeps {
  readonly forwards: ForwardStore;
  readonly subscriptions: Pick<SubscriptionStore, 'setStatus' | 'delete'>;
  readonly credentials: CredentialBox;
  readonly policy: Pick<PolicyService, 'current'>;
  readonly tenancy: Pick<TenancyRepositories, 'users' | 'organizations' | 'audit'>;
  readonly feed: Pick<FeedStore, 'lastLabel'>;
  /** Counts the backlog (delivery-backlog.ts). */
  readonly changes: Pick<ChangeFeedStore, 'countEvents'>;
  /** Told when a forward became due (created, resumed): the engine's wake. */
  readonly onDue?: (collectionId: string) => void;
  readonly now?: () => Date;
}

export const FORWARD_DEFAULTS = { maxObjects: 100, maxBytes: 1024 * 1024 } as const;

/** Headers the hub sets itself; credentials may not name them. */
const RESERVED_HEADERS = new Set(['host', 'content-type', 'content-length', 'accept', 'user-agent', 'connection', 'transfer-encoding']);

/** The API root URL as stored: http(s), no credentials, query or fragment, ending in '/'. */
export function normaliseApiRootUrl(text: string): { ok: true; url: string; host: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'must be an absolute URL, e.g. https://taxii.example.org/api1/' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `must use https (or http), not ${url.protocol.replace(/:$/, '')}` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not carry credentials: give them in credentials' };
  if (url.search !== '' || url.hash !== '') return { ok: false, reason: 'must not have a query or a fragment' };
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { ok: true, url: `${url.protocol}//${url.host}${path}`, host };
}

export function createForwardService(deps: ForwardServiceDeps): ForwardService {
  const now = deps.now ?? (() => new Date());

  async function owned(who: Principal, id: string): Promise<Forward> {
    requireDeliveryManager(who, 'forwards');
    const forward = await deps.forwards.get(id, isOperator(who) ? undefined : who.organizationId);
    if (!forward || !mayManageDeliveries(who, forward.subscription.organizationId)) throw hubError('NOT_FOUND', `There is no forward ${id}`);
    return forward;
  }

  async function view(forward: Forward): Promise<ForwardView> {
    const { subscription: s, target: t } = forward;
    const user = await deps.tenancy.users.get(s.userId);
    return {
      id: s.id,
      organization: s.organizationId,
      collection: s.collectionId,
      status: s.status === 'ACTIVE' ? 'active' : 'paused',
      runAs: user?.username ?? s.userId,
      apiRootUrl: t.apiRootUrl,
      remoteCollection: t.remoteCollectionId,
      credentials: t.credentials,
      filter: t.filter,
      maxObjects: t.maxObjects,
      maxBytes: t.maxBytes,
      createdAt: s.createdAt,
      createdBy: t.createdBy,
      delivery: {
        cursor: s.cursor,
        lastAttemptAt: s.delivery.lastAttemptAt,
        lastSuccessAt: s.delivery.lastSuccessAt,
        lastError: s.delivery.lastError,
        lastErrorAt: s.delivery.lastErrorAt,
        consecutiveFailures: s.delivery.consecutiveFailures,
        nextAttemptAt: s.status === 'ACTIVE' ? s.delivery.nextAttemptAt : null,
        deliveredObjects: s.delivery.deliveredRecords,
        backlog: await eventBacklog({ changes: deps.changes, policy: deps.policy, users: deps.tenancy.users }, s, t.filter.types),
      },
    };
  }

  return {
    async create(who, request) {
      requireDeliveryManager(who, 'forwards');
      const organizationId = request.organization ?? who.organizationId;
      if (!mayManageDeliveries(who, organizationId)) throw hubError('FORBIDDEN', 'an org-admin makes forwards for its own organization only');
      const organization = await deps.tenancy.organizations.get(organizationId);
      if (!organization) throw hubError('VALIDATION_FAILED', { description: `organization: there is no organization '${organizationId}'`, problems: [{ path: 'organization', message: 'no such organization' }] });
      const url = normaliseApiRootUrl(request.api_root_url);
      if (!url.ok) throw hubError('VALIDATION_FAILED', { description: `api_root_url: ${url.reason}`, problems: [{ path: 'api_root_url', message: url.reason }] });
      const credentials: ForwardCredentials = request.credentials ?? { kind: 'none' };
      if (credentials.kind === 'header' && RESERVED_HEADERS.has(credentials.name.toLowerCase())) {
        throw hubError('VALIDATION_FAILED', { description: `credentials.name: the hub sets ${credentials.name} itself`, problems: [{ path: 'credentials.name', message: 'a header the hub sets itself' }] });
      }
      const user = await deliveringUser(deps.tenancy.users, who, organizationId, request.run_as, 'run_as');
      const policy = await deps.policy.current();
      const reader = readerOf(user);
      // By id or alias among the collections the reader sees: one it does not see does not exist for it.
      const compiled = collectionNamedIfAny(policy, request.collection, { who: reader }, 'collection');
      if (!compiled) throw hubError('NOT_FOUND', `There is no collection ${request.collection}`);
      const collectionId = compiled.collection.id;
      if (readScope(policy, reader, collectionId).kind === 'none') {
        throw hubError('FORBIDDEN', `'${user.username}' of organization '${organizationId}' may not read collection ${request.collection}`);
      }
      const id = randomUUID();
      const at = now();
      const cursor = request.start === 'beginning' ? 0 : await deps.feed.lastLabel(collectionId);
      const sealed = credentials.kind === 'none' ? undefined : await deps.credentials.seal(id, credentials);
      const summary: CredentialSummary =
        credentials.kind === 'basic' ? { kind: 'basic', label: credentials.username } : credentials.kind === 'header' ? { kind: 'header', label: credentials.name } : { kind: credentials.kind };
      const filter: ForwardFilter = {
        ...(request.filter?.types !== undefined && request.filter.types.length > 0 ? { types: request.filter.types } : {}),
        ...(request.filter?.kinds !== undefined && request.filter.kinds.length > 0 ? { kinds: request.filter.kinds } : {}),
      };
      const forward = await deps.forwards.create(
        {
          id, collectionId, collectionName: compiled.collection.alias ?? compiled.collection.id, organizationId, userId: user.id,
          channel: 'taxii21-forward', responseType: 'FULL', contentBindings: [], cursor, createdAt: at,
        },
        {
          apiRootUrl: url.url, remoteCollectionId: request.remote_collection, credentials: summary, ...(sealed !== undefined ? { sealedCredentials: sealed } : {}), filter,
          maxObjects: request.max_objects ?? FORWARD_DEFAULTS.maxObjects, maxBytes: request.max_bytes ?? FORWARD_DEFAULTS.maxBytes, createdBy: actorName(who),
        },
      );
      await deps.tenancy.audit.append({
        actor: actorName(who), action: 'forward.create', entityType: 'forward', entityId: id, before: null,
        after: { organization: organizationId, collection: collectionId, api_root_url: url.url, remote_collection: request.remote_collection, credentials: summary, run_as: user.username },
      });
      const uncovered = allowListWarning(organization, url.host);
      const warnings = uncovered === undefined ? [] : [uncovered];
      deps.onDue?.(collectionId);
      return { forward: await view(forward), warnings };
    },

    async list(who, filter) {
      requireDeliveryManager(who, 'forwards');
      if (!isOperator(who) && filter.organization !== undefined && filter.organization !== who.organizationId) return [];
      const organizationId = isOperator(who) ? filter.organization : who.organizationId;
      const forwards = await deps.forwards.list(organizationId !== undefined ? { organizationId } : {});
      return Promise.all(forwards.map(view));
    },

    async get(who, id) {
      return view(await owned(who, id));
    },

    async setStatus(who, id, status) {
      const forward = await owned(who, id);
      await deps.subscriptions.setStatus(forward.subscription.organizationId, id, status, now());
      await deps.tenancy.audit.append({ actor: actorName(who), action: status === 'ACTIVE' ? 'forward.resume' : 'forward.pause', entityType: 'forward', entityId: id, before: null, after: null });
      if (status === 'ACTIVE') deps.onDue?.(forward.subscription.collectionId);
      return view(await owned(who, id));
    },

    async remove(who, id) {
      const forward = await owned(who, id);
      await deps.subscriptions.delete(forward.subscription.organizationId, id);
      await deps.tenancy.audit.append({ actor: actorName(who), action: 'forward.delete', entityType: 'forward', entityId: id, before: { api_root_url: forward.target.apiRootUrl, remote_collection: forward.target.remoteCollectionId }, after: null });
    },
  };
}

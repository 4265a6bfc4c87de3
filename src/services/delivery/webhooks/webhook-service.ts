import { randomUUID } from 'node:crypto';
import { hubError, type FieldProblem } from '../../../domain/errors';
import { INDICATOR_KINDS } from '../../../domain/indicators/indicator-kinds';
import { isOperator, type Principal } from '../../../domain/principal';
import { collectionNamedIfAny } from '../../collection-names';
import { readScope } from '../../../access/read-scope';
import { CHANGE_OPERATIONS, type ChangeFeedStore, type ChangeOperation } from '../../../storage/change-feed-store';
import type { Subscription, SubscriptionStore } from '../../../storage/subscription-store';
import type { TenancyRepositories } from '../../../storage/tenancy-store';
import type { AttemptRetention, DeadLetter, Webhook, WebhookAttempt, WebhookStore } from '../../../storage/webhook-store';
import type { PolicyService } from '../../policy-service';
import { DEFAULT_ATTEMPT_RETENTION, DEFAULT_RETRY_WINDOW_MS } from '../channels/webhook-channel';
import { eventBacklog, type EventBacklog } from '../delivery-backlog';
import { allowListWarning, deliveringUser, mayManageDeliveries, readerOf, requireDeliveryManager } from '../delivery-owners';
import type { GuardedHttpClient } from '../outbound/guarded-http-client';
import { replayDeadLetter, type ReplayOutcome } from './webhook-replay';
import { newWebhookSecret, type SecretBox } from './webhook-secrets';

/**
 * Webhooks as their owners manage them (issue 13 §2): an org-admin manages its organization's
 * webhooks, an operator any organization's; another organization's webhook is NOT_FOUND. A webhook
 * delivers under the read access of one user of its organization (the one who registered it, or one
 * an operator names), checked again at every delivery by the engine.
 */

/** What a registration asks (the create body, read). */
export interface WebhookRegistration {
  readonly collection: string;
  readonly url: string;
  readonly organization?: string;
  readonly user?: string;
  readonly kinds?: readonly string[];
  readonly operations?: readonly string[];
  readonly minConfidence?: number;
  readonly retryWindowSeconds?: number;
}

/** A webhook with its subscription (status, cursor, delivery state) and its backlog now (null: its user may read nothing). */
export interface WebhookView {
  readonly webhook: Webhook;
  readonly subscription: Subscription;
  readonly backlog: EventBacklog | null;
}

export interface CreatedWebhook extends WebhookView {
  /** Shown once. */
  readonly secret: string;
  readonly warnings: readonly string[];
}

export interface RotatedSecret {
  readonly secret: string;
  readonly previousRetiresAt: Date;
}

export interface WebhookService {
  register(who: Principal, registration: WebhookRegistration): Promise<CreatedWebhook>;
  list(who: Principal, organizationId?: string): Promise<WebhookView[]>;
  get(who: Principal, id: string): Promise<WebhookView>;
  attempts(who: Principal, id: string, limit: number): Promise<WebhookAttempt[]>;
  deadLetters(who: Principal, id: string): Promise<DeadLetter[]>;
  replay(who: Principal, id: string, letterId: string): Promise<ReplayOutcome>;
  rotateSecret(who: Principal, id: string): Promise<RotatedSecret>;
  retirePreviousSecret(who: Principal, id: string): Promise<WebhookView>;
  setPaused(who: Principal, id: string, paused: boolean): Promise<WebhookView>;
  remove(who: Principal, id: string): Promise<void>;
}

export interface WebhookServiceDeps {
  readonly webhooks: WebhookStore;
  readonly subscriptions: Pick<SubscriptionStore, 'get' | 'setStatus' | 'delete'>;
  readonly changes: Pick<ChangeFeedStore, 'events' | 'lastPosition' | 'countEvents'>;
  readonly policy: Pick<PolicyService, 'current'>;
  readonly tenancy: Pick<TenancyRepositories, 'users' | 'organizations'>;
  readonly box: SecretBox;
  readonly client: GuardedHttpClient;
  /** A webhook became due (resumed): wake the engine. */
  readonly onDue?: (collectionId: string) => void;
  readonly retention?: AttemptRetention;
  readonly now?: () => Date;
  /** Writes attempts the channel logged and did not write yet (WebhookChannel.flushAttempts), before the log is read. */
  readonly flushAttempts?: () => Promise<void>;
}

/** How long the secret before a rotation keeps signing. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

const notFound = (id: string) => hubError('NOT_FOUND', `There is no webhook ${id}`);

/** The URL's syntax (the guard decides at delivery whether the host may be reached). */
function urlProblems(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL (or http on a host the delivery allow-list names)';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.hash !== '') return 'must not have a fragment';
  return undefined;
}

export function createWebhookService(deps: WebhookServiceDeps): WebhookService {
  const now = deps.now ?? (() => new Date());

  async function view(webhook: Webhook): Promise<WebhookView> {
    const subscription = await deps.subscriptions.get(webhook.organizationId, webhook.id);
    if (!subscription) throw notFound(webhook.id);
    return { webhook, subscription, backlog: await eventBacklog({ changes: deps.changes, policy: deps.policy, users: deps.tenancy.users }, subscription) };
  }

  /** The webhook `who` may manage; NOT_FOUND for another organization's. */
  async function owned(who: Principal, id: string): Promise<Webhook> {
    requireDeliveryManager(who, 'webhooks');
    const webhook = await deps.webhooks.get(isOperator(who) ? undefined : who.organizationId, id);
    if (!webhook) throw notFound(id);
    return webhook;
  }

  return {
    async register(who, r) {
      requireDeliveryManager(who, 'webhooks');
      const organizationId = r.organization ?? who.organizationId;
      if (!mayManageDeliveries(who, organizationId)) throw hubError('FORBIDDEN', `Only an operator may register a webhook for organization '${organizationId}'`);
      const problems: FieldProblem[] = [];
      const urlProblem = urlProblems(r.url);
      if (urlProblem) problems.push({ path: 'url', message: urlProblem });
      const kinds = r.kinds ?? [];
      for (const [i, kind] of kinds.entries()) if (!(INDICATOR_KINDS as readonly string[]).includes(kind)) problems.push({ path: `kinds[${i}]`, message: `must be one of ${INDICATOR_KINDS.join(', ')}` });
      const operations = r.operations ?? [];
      for (const [i, op] of operations.entries()) if (!(CHANGE_OPERATIONS as readonly string[]).includes(op)) problems.push({ path: `operations[${i}]`, message: `must be one of ${CHANGE_OPERATIONS.join(', ')}` });
      const organization = await deps.tenancy.organizations.get(organizationId);
      if (!organization) throw hubError('NOT_FOUND', `There is no organization ${organizationId}`);
      const warnings: string[] = [];
      if (!urlProblem) {
        const url = new URL(r.url);
        const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
        const uncovered = allowListWarning(organization, host);
        if (url.protocol === 'http:' && uncovered !== undefined) problems.push({ path: 'url', message: `is plain http to '${host}', which the organization's delivery allow-list does not name; use https` });
        else if (uncovered !== undefined) warnings.push(uncovered);
      }
      if (problems.length > 0) throw hubError('VALIDATION_FAILED', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
      const user = await deliveringUser(deps.tenancy.users, who, organizationId, r.user, 'user');
      const policy = await deps.policy.current();
      const reader = readerOf(user);
      const collection = collectionNamedIfAny(policy, r.collection, { who: reader }, 'collection')?.collection;
      if (!collection || readScope(policy, reader, collection.id).kind === 'none') throw hubError('NOT_FOUND', `There is no collection ${r.collection} that '${user.username}' of organization '${organizationId}' may read`);
      const id = randomUUID();
      const secret = newWebhookSecret();
      const at = now();
      const webhook = await deps.webhooks.create(
        {
          id,
          collectionId: collection.id,
          collectionName: collection.alias ?? collection.id,
          organizationId,
          userId: user.id,
          channel: 'webhook',
          responseType: 'FULL',
          contentBindings: [],
          // A webhook delivers what happens after it is made.
          cursor: await deps.changes.lastPosition(collection.id),
          createdAt: at,
        },
        {
          url: r.url,
          filter: { kinds, operations: operations as ChangeOperation[], ...(r.minConfidence !== undefined ? { minConfidence: r.minConfidence } : {}) },
          retryWindowMs: r.retryWindowSeconds !== undefined ? r.retryWindowSeconds * 1000 : DEFAULT_RETRY_WINDOW_MS,
          sealedSecret: await deps.box.seal(id, secret),
          createdBy: who.username,
        },
      );
      return { ...(await view(webhook)), secret, warnings };
    },

    async list(who, organizationId) {
      requireDeliveryManager(who, 'webhooks');
      if (organizationId !== undefined && !mayManageDeliveries(who, organizationId)) throw hubError('FORBIDDEN', `webhooks of organization '${organizationId}' are for its org-admins and operators`);
      const owner = isOperator(who) ? organizationId : who.organizationId;
      return Promise.all((await deps.webhooks.list(owner)).map(view));
    },

    async get(who, id) {
      return view(await owned(who, id));
    },

    async attempts(who, id, limit) {
      const webhook = await owned(who, id);
      await deps.flushAttempts?.();
      return deps.webhooks.attempts(webhook.id, limit);
    },

    async deadLetters(who, id) {
      const webhook = await owned(who, id);
      return deps.webhooks.deadLetters(webhook.id);
    },

    async replay(who, id, letterId) {
      const webhook = await owned(who, id);
      const letter = await deps.webhooks.getDeadLetter(webhook.id, letterId);
      if (!letter) throw hubError('NOT_FOUND', `There is no dead letter ${letterId} of webhook ${id}`);
      const { subscription } = await view(webhook);
      await deps.flushAttempts?.(); // the engine's attempts so far come before the replay's in the log
      return replayDeadLetter({ ...deps, retention: deps.retention ?? DEFAULT_ATTEMPT_RETENTION, now }, webhook, subscription, letter);
    },

    async rotateSecret(who, id) {
      const webhook = await owned(who, id);
      const secret = newWebhookSecret();
      const previousRetiresAt = new Date(now().getTime() + SECRET_OVERLAP_MS);
      if (!(await deps.webhooks.rotateSecret(webhook.id, await deps.box.seal(webhook.id, secret), previousRetiresAt))) throw notFound(id);
      return { secret, previousRetiresAt };
    },

    async retirePreviousSecret(who, id) {
      const webhook = await owned(who, id);
      await deps.webhooks.retirePreviousSecret(webhook.id);
      return view((await deps.webhooks.get(undefined, webhook.id)) ?? webhook);
    },

    async setPaused(who, id, paused) {
      const webhook = await owned(who, id);
      // A resumed webhook starts a new retry window: the pause is not counted as failing.
      if (!paused) await deps.webhooks.clearFailing(webhook.id);
      await deps.subscriptions.setStatus(webhook.organizationId, webhook.id, paused ? 'PAUSED' : 'ACTIVE', now());
      const result = await view((await deps.webhooks.get(undefined, webhook.id)) ?? webhook);
      if (!paused) deps.onDue?.(result.subscription.collectionId);
      return result;
    },

    async remove(who, id) {
      const webhook = await owned(who, id);
      await deps.subscriptions.delete(webhook.organizationId, webhook.id);
    },
  };
}

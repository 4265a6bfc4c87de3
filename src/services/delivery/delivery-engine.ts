import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ReadScope } from '../../access/read-scope';
import type { AudienceStore, ChangeEvent, ChangeFeedStore } from '../../storage/change-feed-store';
import type { Claim, Subscription, SubscriptionStore } from '../../storage/subscription-store';
import type { TenancyRepositories } from '../../storage/tenancy-store';
import type { PolicyService } from '../policy-service';
import { versionRecords, type DeliveryBatch, type DeliveryChannel } from './delivery-channel';
import type { DeliveryMetrics, DeliveryOutcome } from './delivery-metrics';
import { cachedLookup } from './directory-cache';
import { compileAllowList } from './outbound/delivery-allow-list';
import type { GuardedHttpClient } from './outbound/guarded-http-client';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './retry-backoff';
import { subscriberAccess } from './subscriber-access';

/**
 * The hub's one delivery engine. For each due ACTIVE subscription of a pushing channel whose
 * collection holds change-feed events after its cursor, it claims the subscription (a lease in the
 * database, so two hub processes never push the same batch at once), reads up to `batchSize` events
 * after the cursor with what the subscriber may read now, has the channel build one request, sends
 * it through the guarded client, and moves the cursor to the batch's end only once the receiver
 * answered success. A failure keeps the cursor and schedules a retry (exponential backoff, full
 * jitter). After a crash the lease expires and the batch is sent again: at least once, never a gap.
 *
 * Audiences: the subscription remembers the audience (ReadScope) its cursor was delivered under.
 * When the subscriber's audience changed (a membership change, a group deleted, a marking rule), it
 * first receives the access-lost / access-gained events between the two, in one batch at the
 * cursor; a subscriber that may no longer read the collection at all receives its access-lost
 * events and is then paused. Each success records the policy revision the audience was compared
 * under; a subscription compared under an older revision is claimable for that check.
 *
 * Work starts on wake(collectionId) (the hub calls it after every write, so pushes follow writes
 * within milliseconds) and on a periodic scan (writes by other processes, retries, expired leases,
 * access-policy changes).
 */

export interface DeliverySettings {
  /** How often the engine looks for due work without being woken; 1000 ms by default. */
  readonly scanIntervalMs: number;
  /** Records read per delivery (one request); 100 by default. */
  readonly batchSize: number;
  /** Deliveries in flight at once in this process; 32 by default. */
  readonly maxConcurrent: number;
  /** How long a claim holds; longer than a delivery can take (the client's total timeout). 60 s by default. */
  readonly leaseMs: number;
  readonly backoff: BackoffPolicy;
  /** How long stop() waits for deliveries in flight; 20 s by default. */
  readonly stopTimeoutMs: number;
  /** How long a user or organization read for a delivery is reused; 1000 ms by default. */
  readonly directoryCacheMs: number;
}

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  scanIntervalMs: 1_000,
  batchSize: 100,
  maxConcurrent: 32,
  leaseMs: 60_000,
  backoff: DEFAULT_BACKOFF,
  stopTimeoutMs: 20_000,
  directoryCacheMs: 1_000,
};

export interface DeliveryLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface DeliveryEngineDeps {
  readonly subscriptions: SubscriptionStore;
  readonly changes: Pick<ChangeFeedStore, 'events' | 'accessChanges'>;
  readonly audiences: AudienceStore;
  readonly policy: Pick<PolicyService, 'current' | 'status'>;
  readonly tenancy: Pick<TenancyRepositories, 'users' | 'organizations'>;
  readonly channels: readonly DeliveryChannel[];
  readonly client: GuardedHttpClient;
  readonly logger: DeliveryLogger;
  readonly metrics?: DeliveryMetrics;
  readonly settings?: Partial<DeliverySettings>;
  /** Wall clock (tests inject one). */
  readonly now?: () => Date;
  /** Uniform in [0, 1) (tests inject one). */
  readonly random?: () => number;
  /** Names this engine's leases: `<host>:<pid>:<random>` by default (the prefix up to the pid names the process). */
  readonly instanceId?: string;
}

export interface DeliveryEngine {
  start(): void;
  /** Stops claiming, then waits (up to stopTimeoutMs) for deliveries in flight. */
  stop(): Promise<void>;
  /** Something was written to the collection: look for due work now. */
  wake(collectionId?: string): void;
  /** Resolves once no pass is running or queued and nothing is in flight (tests, benchmarks). */
  idle(): Promise<void>;
}

/** The audience a delivery was made under, recorded with its success. */
interface AudienceMark {
  readonly audienceKey: string;
  readonly policyRevision?: number;
}

/** Longest last_error kept: enough to act on, never a whole response. */
const MAX_ERROR_LENGTH = 300;

export function createDeliveryEngine(deps: DeliveryEngineDeps): DeliveryEngine {
  const settings: DeliverySettings = { ...DEFAULT_DELIVERY_SETTINGS, ...deps.settings };
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const processPrefix = `${hostname()}:${process.pid}:`;
  const owner = deps.instanceId ?? `${processPrefix}${randomUUID()}`;
  const channels = new Map(deps.channels.map((c) => [c.name, c] as const));
  const channelNames = [...channels.keys()];
  const inflight = new Map<string, Promise<void>>();
  const users = cachedLookup((id) => deps.tenancy.users.get(id), settings.directoryCacheMs);
  const organizations = cachedLookup((id) => deps.tenancy.organizations.get(id), settings.directoryCacheMs);
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;
  let again = false;
  let idleWaiters: (() => void)[] = [];
  /** The policy revision the last scan saw (undefined before the first: every subscription is checked once at start). */
  let seenRevision: number | undefined;

  function settleIdle(): void {
    if (pass || inflight.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }

  /** Runs a claim pass now, or once more after the running one (wakes coalesce). */
  function kick(): void {
    if (!running) return;
    if (pass) {
      again = true;
      return;
    }
    pass = claimPass()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'the delivery engine could not claim due subscriptions'))
      .finally(() => {
        pass = undefined;
        if (again) {
          again = false;
          kick();
        }
        settleIdle();
      });
  }

  async function claimPass(): Promise<void> {
    const room = settings.maxConcurrent - inflight.size;
    if (room <= 0) return; // a finishing delivery kicks again
    const revision = await policyRevision();
    const claimed = await deps.subscriptions.claimDue({ owner, now: now(), leaseMs: settings.leaseMs, limit: room, channels: channelNames, ...(revision !== undefined ? { policyRevision: revision } : {}) });
    for (const claim of claimed) {
      const { subscription } = claim;
      // Our own delivery outlived its lease (a slow receiver or database): it still holds the
      // subscription, and the claim just renewed the lease for it.
      if (inflight.has(subscription.id)) continue;
      const work = deliver(claim)
        .catch((error: unknown) => deps.logger.error({ err: error, subscriptionId: subscription.id }, 'a delivery failed unexpectedly; its lease expires and it is tried again'))
        .finally(() => {
          inflight.delete(subscription.id);
          // Refill in bulk once half the slots are free (one claim query for many deliveries); a
          // subscription with more backlog is due again at once and comes back with the refill.
          if (inflight.size <= settings.maxConcurrent / 2) kick();
          settleIdle();
        });
      inflight.set(subscription.id, work);
    }
  }

  function count(channel: string, outcome: DeliveryOutcome): void {
    deps.metrics?.deliveries.inc({ channel, outcome });
  }

  async function deliver({ subscription, collectionEnd: end }: Claim): Promise<void> {
    const channel = channels.get(subscription.channel);
    if (!channel) return;
    const policy = await deps.policy.current();
    const access = await subscriberAccess(users, policy, subscription);
    if (!access.ok) {
      // A subscriber cut off from the collection first learns what it may no longer hold.
      if (access.readLost && subscription.audienceKey !== undefined) {
        const lost = await accessEvents(channel, subscription, { kind: 'none' });
        if (lost.length > 0) {
          const batch = { subscription, collection: access.readLost.collection, reader: access.readLost.principal, policy, scope: { kind: 'none' } as const, events: lost, records: [], exclusiveBegin: subscription.cursor, inclusiveEnd: subscription.cursor };
          const sent = await send(channel, batch, undefined, false);
          if (!sent) return; // retried later; the pause waits until the receiver has it
        }
      }
      await deps.subscriptions.suspend(subscription.id, owner, access.reason, now());
      count(channel.name, 'suspended');
      deps.logger.warn({ subscriptionId: subscription.id, organization: subscription.organizationId, reason: access.reason }, 'subscription paused');
      return;
    }
    const status = deps.policy.status();
    const revision = status.state === 'current' ? status.revision : status.state === 'invalid' ? status.servedRevision : undefined;
    // What the cursor is delivered under from this delivery on: the audience, and the policy it was compared under.
    const audience: AudienceMark = { audienceKey: await deps.audiences.remember(access.scope), ...(revision !== undefined ? { policyRevision: revision } : {}) };
    const { audienceKey } = audience;
    const base = { subscription, collection: access.collection, reader: access.principal, policy, scope: access.scope };
    if (subscription.audienceKey !== undefined && subscription.audienceKey !== audienceKey) {
      const changed = await accessEvents(channel, subscription, access.scope);
      if (changed.length > 0) {
        const batch = { ...base, events: changed, records: versionRecords(changed), exclusiveBegin: subscription.cursor, inclusiveEnd: subscription.cursor };
        await send(channel, batch, audience);
        return; // the backlog (if any) follows at once: the subscription stays due
      }
    }
    const range = { collectionId: subscription.collectionId, scope: access.scope, after: subscription.cursor, atMost: end, ...(channel.recordTypes ? { types: channel.recordTypes } : {}) };
    const page = await deps.changes.events(range, settings.batchSize);
    const last = page.events[page.events.length - 1];
    // Every position up to `end` is committed: a batch that reaches the range's end may move the cursor there.
    const inclusiveEnd = page.more && last ? last.position : Math.max(end, subscription.cursor);
    if (page.events.length === 0) {
      await deps.subscriptions.recordSuccess(subscription.id, owner, { cursor: inclusiveEnd, deliveredRecords: 0, at: now(), sent: false, ...audience });
      count(channel.name, 'nothing-to-send');
      return;
    }
    await send(channel, { ...base, events: page.events, records: versionRecords(page.events), exclusiveBegin: subscription.cursor, inclusiveEnd }, audience);
  }

  /** The access-lost / access-gained events between the audience the cursor was delivered under and `scope`. */
  async function accessEvents(channel: DeliveryChannel, subscription: Subscription, scope: ReadScope): Promise<ChangeEvent[]> {
    const before = subscription.audienceKey !== undefined ? await deps.audiences.scopeOf(subscription.audienceKey) : undefined;
    if (!before) return [];
    const events = await deps.changes.accessChanges(subscription.collectionId, before, scope, subscription.cursor);
    const types = channel.recordTypes;
    return types ? events.filter((e) => types.includes(e.type)) : events;
  }

  /**
   * Has the channel prepare the batch, sends it, records the outcome. True when the receiver has it
   * (or nothing was to be sent). `recordSuccess` false keeps the lease after a success (the caller
   * records what follows, e.g. a pause); a failure is always recorded.
   */
  async function send(channel: DeliveryChannel, batch: DeliveryBatch, audience?: AudienceMark, recordSuccess = true): Promise<boolean> {
    const { subscription } = batch;
    const success = async (deliveredRecords: number, sent: boolean) => {
      if (recordSuccess) await deps.subscriptions.recordSuccess(subscription.id, owner, { cursor: batch.inclusiveEnd, deliveredRecords, at: now(), sent, ...audience });
    };
    const prepared = await channel.prepare(batch);
    if (prepared.skipped > 0) deps.metrics?.skippedRecords.inc({ channel: channel.name }, prepared.skipped);
    if (prepared.kind === 'nothing') {
      await success(0, false);
      count(channel.name, 'nothing-to-send');
      return true;
    }
    const organization = await organizations.get(subscription.organizationId);
    const started = performance.now();
    const outcome = await deps.client.post(prepared.request, compileAllowList(organization?.deliveryAllowList));
    const verdict =
      outcome.kind === 'response'
        ? channel.judge(outcome)
        : { ok: false as const, error: outcome.kind === 'refused' ? `not sent: ${outcome.reason}` : `not delivered: ${outcome.reason}` };
    const result: DeliveryOutcome = verdict.ok ? 'delivered' : outcome.kind === 'refused' ? 'refused' : 'failed';
    deps.metrics?.deliveryDuration.observe({ channel: channel.name, outcome: result }, (performance.now() - started) / 1000);
    count(channel.name, result);
    if (verdict.ok) {
      await success(prepared.records, true);
      deps.metrics?.deliveredRecords.inc({ channel: channel.name }, prepared.records);
      return true;
    }
    const failures = subscription.delivery.consecutiveFailures + 1;
    const at = now();
    const error = verdict.error.length > MAX_ERROR_LENGTH ? `${verdict.error.slice(0, MAX_ERROR_LENGTH - 1)}…` : verdict.error;
    const nextAttemptAt = new Date(at.getTime() + retryDelayMs(settings.backoff, failures, random));
    await deps.subscriptions.recordFailure(subscription.id, owner, { error, at, nextAttemptAt });
    deps.logger.warn({ subscriptionId: subscription.id, organization: subscription.organizationId, failures, nextAttemptAt, error }, 'delivery failed; it will be retried');
    return false;
  }

  /** The revision of the policy the engine decides with now (undefined while none compiled). */
  async function policyRevision(): Promise<number | undefined> {
    await deps.policy.current();
    const status = deps.policy.status();
    return status.state === 'current' ? status.revision : status.state === 'invalid' ? status.servedRevision : undefined;
  }

  /** A policy change makes subscriptions due (their audience is compared): claim at once. */
  async function checkPolicyRevision(): Promise<void> {
    const revision = await policyRevision();
    if (revision === undefined || revision === seenRevision) return;
    seenRevision = revision;
    kick();
  }

  async function scan(): Promise<void> {
    kick();
    try {
      await checkPolicyRevision();
    } catch (error) {
      deps.logger.warn({ err: error }, 'checking the access policy for changed audiences failed');
    }
    try {
      deps.metrics?.pendingSubscriptions.set(await deps.subscriptions.pendingCount());
    } catch (error) {
      deps.logger.warn({ err: error }, 'counting pending subscriptions failed');
    }
  }

  function scheduleScan(): void {
    timer = setTimeout(() => {
      void scan().finally(() => {
        if (running) scheduleScan();
      });
    }, settings.scanIntervalMs);
    timer.unref();
  }

  return {
    start() {
      if (running) return;
      running = true;
      // On the embedded store, what a killed process had claimed is sent again now, not after its lease.
      pass = deps.subscriptions
        .releaseOrphanedLeases(processPrefix)
        .then((released) => {
          if (released > 0) deps.logger.info({ released }, 'released the delivery claims of a process that is gone; their batches are sent again');
        })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'releasing the delivery claims of gone processes failed; they expire'))
        .finally(() => {
          pass = undefined;
          kick();
          settleIdle();
        });
      scheduleScan();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      const everything = Promise.allSettled([...(pass ? [pass] : []), ...inflight.values()]);
      let deadline: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        deadline = setTimeout(resolve, settings.stopTimeoutMs);
      });
      await Promise.race([everything, timeout]);
      clearTimeout(deadline);
    },
    wake() {
      kick();
    },
    idle() {
      if (!pass && inflight.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

import type { ChangeFeedStore } from '../../../storage/change-feed-store';
import type { Subscription } from '../../../storage/subscription-store';
import type { TenancyRepositories } from '../../../storage/tenancy-store';
import type { AttemptRetention, DeadLetter, Webhook, WebhookStore } from '../../../storage/webhook-store';
import type { PolicyService } from '../../policy-service';
import { attemptOutcome } from '../channels/webhook-channel';
import { compileAllowList } from '../outbound/delivery-allow-list';
import type { GuardedHttpClient } from '../outbound/guarded-http-client';
import { subscriberAccess } from '../subscriber-access';
import { webhookRequest } from './webhook-request';
import { signingSecrets, type SecretBox } from './webhook-secrets';

/**
 * Replaying a dead letter: its range (after, through] is read again from the change feed with what
 * the webhook's user may read now (never what it could read when the batch died), filtered, signed
 * with the secrets signing now, and sent through the guarded client in batches of up to 100 events,
 * each logged as an attempt naming the letter. The letter is marked replayed once every batch was
 * accepted; the first failure stops the replay and is answered (the letter stays, to replay again).
 * The webhook's own cursor is not touched: a replay is a copy of old events, in their order.
 */

export type ReplayOutcome =
  | { readonly replayed: true; readonly events: number; readonly requests: number }
  | { readonly replayed: false; readonly events: number; readonly requests: number; readonly error: string };

export interface ReplayDeps {
  readonly webhooks: Pick<WebhookStore, 'recordAttempts' | 'markReplayed'>;
  readonly changes: Pick<ChangeFeedStore, 'events'>;
  readonly policy: Pick<PolicyService, 'current'>;
  readonly tenancy: Pick<TenancyRepositories, 'users' | 'organizations'>;
  readonly box: SecretBox;
  readonly client: GuardedHttpClient;
  readonly retention: AttemptRetention;
  readonly now: () => Date;
}

const REPLAY_BATCH = 100;

export async function replayDeadLetter(deps: ReplayDeps, webhook: Webhook, subscription: Subscription, letter: DeadLetter): Promise<ReplayOutcome> {
  const policy = await deps.policy.current();
  const access = await subscriberAccess(deps.tenancy.users, policy, subscription);
  if (!access.ok) return { replayed: false, events: 0, requests: 0, error: access.reason.replace(/^delivery paused: /, 'not replayed: ') };
  const organization = await deps.tenancy.organizations.get(webhook.organizationId);
  const allowList = compileAllowList(organization?.deliveryAllowList);
  let after = letter.afterPosition;
  let events = 0;
  let requests = 0;
  for (;;) {
    const page = await deps.changes.events({ collectionId: subscription.collectionId, scope: access.scope, after, atMost: letter.throughPosition }, REPLAY_BATCH);
    const last = page.events[page.events.length - 1];
    const through = page.more && last ? last.position : letter.throughPosition;
    const at = deps.now();
    const built = webhookRequest(webhook, subscription.collectionId, page.events, await signingSecrets(deps.box, webhook, at), at);
    if (built.kind === 'send') {
      const started = performance.now();
      const outcome = await deps.client.post(built.request, allowList);
      const result = attemptOutcome(outcome);
      await deps.webhooks.recordAttempts(
        [{ webhookId: webhook.id, deliveryId: built.deliveryId, at, latencyMs: performance.now() - started, events: built.events, afterPosition: after, throughPosition: through, replayOf: letter.id, ...result }],
        deps.retention,
      );
      requests += 1;
      if (result.outcome !== 'delivered') return { replayed: false, events, requests, error: result.error ?? 'failed' };
      events += built.events;
    }
    if (!page.more || !last) break;
    after = last.position;
  }
  await deps.webhooks.markReplayed(letter.id, deps.now());
  return { replayed: true, events, requests };
}

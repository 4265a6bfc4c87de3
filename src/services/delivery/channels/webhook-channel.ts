import { randomUUID } from 'node:crypto';
import type { AttemptRetention, NewAttempt, WebhookStore } from '../../../storage/webhook-store';
import type { DeliveryBatch, DeliveryChannel, PreparedDelivery } from '../delivery-channel';
import type { GuardedHttpClient, OutboundOutcome } from '../outbound/guarded-http-client';
import { DELIVERY_ID_HEADER, judgeWebhookResponse, webhookRequest } from '../webhooks/webhook-request';
import { signingSecrets, type SecretBox } from '../webhooks/webhook-secrets';

/**
 * The webhook channel (issue 13 §2). prepare() reads the webhook (URL, filter, secrets), filters the
 * batch's events and builds one signed JSON request; judge() takes any 2xx. The engine does the
 * rest (claims, cursor, retries with backoff and jitter, the guarded client).
 *
 * Two things only a webhook does, kept here so the engine stays the same for every channel:
 * - **dead letters**: a batch still failing `retryWindowMs` (24 h by default) after its first failed
 *   attempt is stored as a dead letter (its position range and the last error) and the cursor moves
 *   on (prepare answers `nothing`, the engine records that as done);
 * - **the attempts log**: `recording(client)` wraps the engine's guarded client; every webhook request
 *   sent through it (known by its X-Hub-Delivery-Id) is logged with its outcome, status, latency,
 *   events and range, and marks the webhook failing (first failure) or not.
 */

export const DEFAULT_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ATTEMPT_RETENTION: AttemptRetention = { keep: 1_000, maxAgeMs: 7 * 24 * 60 * 60 * 1000 };

export interface WebhookChannelDeps {
  readonly store: Pick<WebhookStore, 'get' | 'deadLetter' | 'markFailing' | 'clearFailing' | 'recordAttempts'>;
  readonly box: SecretBox;
  readonly retention?: AttemptRetention;
  /** Wall clock (tests inject one to pass the retry window). */
  readonly now?: () => Date;
  readonly onError?: (error: unknown) => void;
}

export interface WebhookChannel extends DeliveryChannel {
  /** The engine's client, logging every webhook request it sends as an attempt. */
  recording(client: GuardedHttpClient): GuardedHttpClient;
  /** Writes the attempts logged so far (before the log is read). */
  flushAttempts(): Promise<void>;
}

/**
 * The log is written in small batches: one INSERT per LOG_FLUSH_MS (or per LOG_BATCH attempts) instead
 * of one per delivery, which on the embedded store (one connection) would queue a hundred INSERTs
 * between the deliveries of one write. A process killed loses the attempts of its last few
 * milliseconds from the log (not from delivery: the cursor is the engine's).
 */
const LOG_FLUSH_MS = 25;
const LOG_BATCH = 200;

/** Longest error kept in the log (as the engine's last_error): enough to act on, never a response. */
const MAX_ERROR_LENGTH = 300;
const bounded = (error: string) => (error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH - 1)}…` : error);

type Pending = Pick<NewAttempt, 'webhookId' | 'events' | 'afterPosition' | 'throughPosition'> & { readonly wasFailing: boolean };

/** The attempt an outcome makes (without who, when and which range). */
export function attemptOutcome(outcome: OutboundOutcome): Pick<NewAttempt, 'outcome' | 'statusCode' | 'error'> {
  if (outcome.kind === 'refused') return { outcome: 'refused', error: bounded(`not sent: ${outcome.reason}`) };
  if (outcome.kind === 'failed') return { outcome: 'failed', error: bounded(`not delivered: ${outcome.reason}`) };
  const verdict = judgeWebhookResponse(outcome);
  return verdict.ok ? { outcome: 'delivered', statusCode: outcome.status } : { outcome: 'failed', statusCode: outcome.status, error: verdict.error };
}

export function createWebhookChannel(deps: WebhookChannelDeps): WebhookChannel {
  const now = deps.now ?? (() => new Date());
  const retention = deps.retention ?? DEFAULT_ATTEMPT_RETENTION;
  /** Requests prepared and not sent yet, by delivery id (removed when sent). */
  const pending = new Map<string, Pending>();
  const buffer: NewAttempt[] = [];
  let timer: NodeJS.Timeout | undefined;
  let written: Promise<void> = Promise.resolve();

  /** Writes what the buffer holds after what was written before (the log keeps the order of attempts). */
  function flushAttempts(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    written = written.then(async () => {
      if (buffer.length === 0) return;
      try {
        await deps.store.recordAttempts(buffer.splice(0), retention);
      } catch (error) {
        deps.onError?.(error); // the log is best effort: deliveries stand
      }
    });
    return written;
  }

  function log(attempt: NewAttempt): void {
    buffer.push(attempt);
    if (buffer.length >= LOG_BATCH) void flushAttempts();
    else if (!timer) {
      timer = setTimeout(() => void flushAttempts(), LOG_FLUSH_MS);
      timer.unref();
    }
  }

  async function prepare(batch: DeliveryBatch): Promise<PreparedDelivery> {
    const webhook = await deps.store.get(undefined, batch.subscription.id);
    if (!webhook) return { kind: 'nothing', skipped: 0 }; // removed while due
    const at = now();
    if (webhook.failingSince !== null && at.getTime() - webhook.failingSince.getTime() >= webhook.retryWindowMs) {
      await deps.store.deadLetter({
        id: randomUUID(),
        webhookId: webhook.id,
        afterPosition: batch.exclusiveBegin,
        throughPosition: batch.inclusiveEnd,
        events: batch.events.length,
        error: batch.subscription.delivery.lastError ?? 'failed',
        deadAt: at,
      });
      return { kind: 'nothing', skipped: 0 };
    }
    const built = webhookRequest(webhook, batch.collection.id, batch.events, await signingSecrets(deps.box, webhook, at), at);
    if (built.kind === 'nothing') return { kind: 'nothing', skipped: 0 };
    pending.set(built.deliveryId, { webhookId: webhook.id, events: built.events, afterPosition: batch.exclusiveBegin, throughPosition: batch.inclusiveEnd, wasFailing: webhook.failingSince !== null });
    return { kind: 'send', request: built.request, records: built.events, skipped: 0 };
  }

  async function record({ wasFailing, ...attempt }: Pending, deliveryId: string, outcome: OutboundOutcome, at: Date, latencyMs: number): Promise<void> {
    const result = attemptOutcome(outcome);
    log({ ...attempt, ...result, deliveryId, at, latencyMs });
    // One query per attempt on the way of every delivery (the log); the failing window only changes when it starts or ends.
    if (result.outcome === 'delivered') {
      if (wasFailing) await deps.store.clearFailing(attempt.webhookId);
    } else await deps.store.markFailing(attempt.webhookId, at);
  }

  return {
    name: 'webhook',
    prepare,
    judge: judgeWebhookResponse,
    flushAttempts,
    recording(client) {
      return {
        async post(request, allowList) {
          const deliveryId = request.headers[DELIVERY_ID_HEADER];
          const attempt = deliveryId !== undefined ? pending.get(deliveryId) : undefined;
          if (deliveryId === undefined || attempt === undefined) return client.post(request, allowList);
          pending.delete(deliveryId);
          const at = now();
          const started = performance.now();
          const outcome = await client.post(request, allowList);
          try {
            await record(attempt, deliveryId, outcome, at, performance.now() - started);
          } catch (error) {
            deps.onError?.(error); // the log is best effort: the delivery's outcome stands
          }
          return outcome;
        },
      };
    },
  };
}

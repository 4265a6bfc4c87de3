import { randomUUID } from 'node:crypto';
import type { ChangeEvent } from '../../../storage/change-feed-store';
import type { Webhook } from '../../../storage/webhook-store';
import type { DeliveryVerdict, ReceivedResponse } from '../delivery-channel';
import type { OutboundRequest } from '../outbound/guarded-http-client';
import { webhookBody, webhookEvents } from './webhook-payload';
import { signatureHeader } from './webhook-secrets';

/** One webhook request: what the engine and a replay send alike. */

export const SIGNATURE_HEADER = 'X-Hub-Signature';
export const WEBHOOK_ID_HEADER = 'X-Hub-Webhook-Id';
export const DELIVERY_ID_HEADER = 'X-Hub-Delivery-Id';

export type WebhookRequest =
  | { readonly kind: 'send'; readonly request: OutboundRequest; readonly deliveryId: string; readonly events: number }
  /** Every event was filtered out. */
  | { readonly kind: 'nothing' };

/** The filtered, signed request for `events` of the webhook's collection; `secrets` are those signing now. */
export function webhookRequest(webhook: Webhook, collectionId: string, events: readonly ChangeEvent[], secrets: readonly string[], now: Date): WebhookRequest {
  const kept = webhookEvents(webhook.filter, collectionId, events);
  if (kept.length === 0) return { kind: 'nothing' };
  const body = webhookBody({ webhook: webhook.id, collection: collectionId, events: kept });
  const deliveryId = randomUUID();
  return {
    kind: 'send',
    deliveryId,
    events: kept.length,
    request: {
      url: webhook.url,
      headers: {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: signatureHeader(secrets, Math.floor(now.getTime() / 1000), body),
        [WEBHOOK_ID_HEADER]: webhook.id,
        [DELIVERY_ID_HEADER]: deliveryId,
      },
      body,
    },
  };
}

/** 2xx is delivered; anything else is a failure to retry (a redirect is never followed). */
export function judgeWebhookResponse(response: Pick<ReceivedResponse, 'status'>): DeliveryVerdict {
  if (response.status >= 200 && response.status < 300) return { ok: true };
  if (response.status >= 300 && response.status < 400) return { ok: false, error: `the receiver answered HTTP ${response.status}, a redirect (never followed)` };
  return { ok: false, error: `the receiver answered HTTP ${response.status}` };
}

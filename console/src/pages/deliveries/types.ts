/**
 * The answers the Deliveries page reads (openapi.yaml): the admin API's subscriptions, the hub API's
 * webhooks, their dead letters and forwards. Times are RFC 3339 strings; a null figure is one the hub
 * does not have (nothing attempted yet, or the delivery's user may read nothing now).
 */

/** How a delivery's attempts stand: the same fields for subscriptions, webhooks and forwards. */
export interface DeliveryAttempts {
  readonly last_attempt_at: string | null;
  readonly last_success_at: string | null;
  readonly last_error: string | null;
  readonly last_error_at: string | null;
  readonly consecutive_failures: number;
  readonly next_attempt_at: string | null;
}

/** GET /admin/api/subscriptions (every channel; the page shows the TAXII 1.1 ones). */
export interface SubscriptionJson {
  readonly id: string;
  readonly organization: string;
  readonly user_id: string;
  readonly collection_id: string;
  readonly collection_name: string;
  readonly channel: string;
  readonly status: 'ACTIVE' | 'PAUSED' | 'UNSUBSCRIBED';
  readonly push: { readonly address: string } | null;
  readonly created_at: string;
  readonly delivery: DeliveryAttempts & { readonly cursor: string | null; readonly delivered_records: number; readonly backlog: number | null };
}

/** The backlog of a webhook or forward: events waiting, counted up to a cap. */
export interface Backlog {
  readonly backlog: number | null;
  readonly backlog_more: boolean;
}

/** GET /api/webhooks */
export interface WebhookJson {
  readonly id: string;
  readonly organization: string;
  readonly collection: string;
  readonly collection_name: string;
  readonly url: string;
  readonly user: string;
  readonly status: 'active' | 'paused';
  readonly created_at: string;
  readonly delivery: DeliveryAttempts & Backlog & { readonly failing_since: string | null; readonly delivered_events: number };
}

/** GET /api/webhooks/{id}/dead-letters */
export interface DeadLetterJson {
  readonly id: string;
  readonly after_position: string;
  readonly through_position: string;
  readonly events: number;
  readonly error: string;
  readonly dead_at: string;
  readonly replayed_at: string | null;
}

/** GET /api/webhooks/{id}/attempts: one delivery attempt. */
export interface WebhookAttemptJson {
  readonly id: string;
  readonly at: string;
  readonly outcome: 'delivered' | 'failed' | 'refused';
  readonly status_code: number | null;
  readonly latency_ms: number;
  readonly error: string | null;
  readonly events: number;
  /** The dead letter a replay attempt delivered. */
  readonly replay_of?: string;
}

/** POST /api/webhooks/{id}/dead-letters/{letter}/replay */
export interface ReplayJson {
  readonly replayed: boolean;
  readonly events?: number;
  readonly requests?: number;
  readonly error?: string;
}

/** GET /api/forwards */
export interface ForwardJson {
  readonly id: string;
  readonly organization: string;
  readonly collection: string;
  readonly status: 'active' | 'paused';
  readonly run_as: string;
  readonly api_root_url: string;
  readonly remote_collection: string;
  readonly created_at: string;
  readonly delivery: DeliveryAttempts & Backlog & { readonly delivered_objects: number };
}

/** The sensor feed formats (src/domain/feeds/feed-formats.ts FEED_FORMATS; a test keeps them equal). */
export const FEED_FORMATS = ['text', 'csv', 'suricata', 'zeek', 'rpz', 'postfix', 'stix'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** What the page shows as a delivery's state. */
export type DeliveryState = 'active' | 'failing' | 'paused' | 'polled';

export function stateOf(paused: boolean, attempts: DeliveryAttempts): DeliveryState {
  if (paused) return 'paused';
  return attempts.consecutive_failures > 0 ? 'failing' : 'active';
}

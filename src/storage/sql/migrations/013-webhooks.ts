/**
 * Webhooks (issue 13 §2), delivered by the delivery engine as subscriptions of channel 'webhook'.
 *
 * subscriptions: the channel CHECK admits the engine's newer push channels, 'webhook' and
 * 'taxii21-forward' (TAXII 2.1 forwarding, migration 014). A TAXII 1.1 push still needs its push
 * address and a TAXII 1.1 poll-only subscription still has none; the newer channels keep their
 * targets in tables of their own. The due index covers every pushing channel (everything but
 * 'taxii11-poll'); claimDue and pendingCount say `channel <> 'taxii11-poll'` so the planner can use it.
 *
 * webhooks: one row per webhook subscription (same id): the URL, the event filter, the retry window
 * and `failing_since` (the first failed attempt of the batch now pending; null after a success).
 * Secrets are sealed (AES-256-GCM under the hub secret 'webhook-secret-key', the webhook id as
 * associated data): `secret` signs; `previous_secret` also signs until `previous_retires_at`
 * (a rotation keeps the old one for 24 h, or until it is retired).
 *
 * webhook_attempts: every request sent (engine deliveries and replays), bounded per webhook by the
 * store (the newest 1,000, none older than 7 days). webhook_dead_letters: batches given up on after
 * the retry window: the position range (after_position, through_position], the last error.
 */
export const sql = `
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_channel_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_channel_check
  CHECK (channel IN ('taxii11-push', 'taxii11-poll', 'webhook', 'taxii21-forward'));
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_push_address_check
  CHECK (CASE channel WHEN 'taxii11-push' THEN push_address IS NOT NULL WHEN 'taxii11-poll' THEN push_address IS NULL ELSE true END);
DROP INDEX subscriptions_due_idx;
CREATE INDEX subscriptions_due_idx ON subscriptions (next_attempt_at) WHERE channel <> 'taxii11-poll' AND status = 'ACTIVE';

CREATE TABLE webhooks (
  id                  uuid PRIMARY KEY REFERENCES subscriptions(id) ON DELETE CASCADE,
  organization_id     text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  url                 text NOT NULL,
  kinds               text[] NOT NULL DEFAULT '{}',
  operations          text[] NOT NULL DEFAULT '{}',
  min_confidence      integer CHECK (min_confidence BETWEEN 0 AND 100),
  retry_window_ms     bigint NOT NULL CHECK (retry_window_ms > 0),
  secret              text NOT NULL,
  previous_secret     text,
  previous_retires_at timestamptz,
  failing_since       timestamptz,
  created_by          text NOT NULL,
  CHECK ((previous_secret IS NULL) = (previous_retires_at IS NULL))
);
CREATE INDEX webhooks_organization_idx ON webhooks (organization_id);

CREATE TABLE webhook_attempts (
  id             bigserial PRIMARY KEY,
  webhook_id     uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  delivery_id    uuid NOT NULL,
  at             timestamptz NOT NULL,
  outcome        text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'refused')),
  status_code    integer,
  latency_ms     integer NOT NULL,
  error          text,
  events         integer NOT NULL,
  after_position   bigint NOT NULL,
  through_position bigint NOT NULL,
  replay_of      uuid
);
CREATE INDEX webhook_attempts_webhook_idx ON webhook_attempts (webhook_id, id);

CREATE TABLE webhook_dead_letters (
  id               uuid PRIMARY KEY,
  webhook_id       uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  after_position   bigint NOT NULL,
  through_position bigint NOT NULL,
  events           integer NOT NULL,
  error            text NOT NULL,
  dead_at          timestamptz NOT NULL,
  replayed_at      timestamptz
);
CREATE INDEX webhook_dead_letters_webhook_idx ON webhook_dead_letters (webhook_id, dead_at);
`;

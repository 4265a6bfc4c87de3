/**
 * Subscriptions (TAXII 1.1 Subscription Management) and their delivery state, read and written by
 * the delivery engine, plus each organization's delivery allow-list.
 *
 * - Every subscription has an owner organization and user; every lookup filters by the organization
 *   (MT-02, SB-07, SB-08). UNSUBSCRIBED is a deleted row.
 * - `cursor` is the last date_added (integer microseconds) delivered to the subscriber: it is only
 *   advanced after the receiver answered success, so after a crash a batch may repeat but nothing is
 *   skipped.
 * - `parameters_key` is a canonical text of what was asked (response type, content bindings, push
 *   parameters): an identical SUBSCRIBE by the same user returns the existing subscription (SB-03).
 * - `lease_owner`/`lease_until`: the engine instance delivering the subscription right now, so two
 *   hub processes on one database never push the same batch concurrently (claimed with
 *   FOR UPDATE SKIP LOCKED; a lease a killed process left expires).
 * - `collection_name` is the TAXII 1.1 name the subscriber used, repeated in every push's
 *   Source_Subscription and answer.
 * - user_id has no foreign key: a subscription whose user was deleted is kept, paused with a
 *   last_error saying why, so the organization sees what happened.
 */
export const sql = `
ALTER TABLE organizations ADD COLUMN delivery_allow_list text[] NOT NULL DEFAULT '{}';

CREATE TABLE subscriptions (
  id                    uuid PRIMARY KEY,
  collection_id         uuid NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  collection_name       text NOT NULL,
  organization_id       text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id               uuid NOT NULL,
  channel               text NOT NULL CHECK (channel IN ('taxii11-push', 'taxii11-poll')),
  response_type         text NOT NULL CHECK (response_type IN ('FULL', 'COUNT_ONLY')),
  content_bindings      jsonb NOT NULL DEFAULT '[]'::jsonb,
  push_protocol_binding text,
  push_address          text,
  push_message_binding  text,
  parameters_key        text NOT NULL,
  status                text NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED')),
  created_at            timestamptz NOT NULL DEFAULT now(),
  cursor                bigint NOT NULL CHECK (cursor >= 0),
  next_attempt_at       timestamptz NOT NULL DEFAULT now(),
  consecutive_failures  integer NOT NULL DEFAULT 0,
  last_attempt_at       timestamptz,
  last_success_at       timestamptz,
  last_error            text,
  last_error_at         timestamptz,
  delivered_records     bigint NOT NULL DEFAULT 0,
  lease_owner           text,
  lease_until           timestamptz,
  CHECK ((channel = 'taxii11-push') = (push_address IS NOT NULL)),
  UNIQUE (organization_id, user_id, collection_id, parameters_key)
);
CREATE INDEX subscriptions_collection_idx ON subscriptions (collection_id, organization_id);
CREATE INDEX subscriptions_due_idx ON subscriptions (next_attempt_at) WHERE channel = 'taxii11-push' AND status = 'ACTIVE';
`;

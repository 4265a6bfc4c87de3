/**
 * TAXII 2.1 forwarding (issue 13 §3), delivered by the delivery engine as subscriptions of channel
 * 'taxii21-forward' (migration 013 admits the channel). One row per forward (same id as its
 * subscription): the remote API root URL (ending in '/') and collection id, the credentials' kind and
 * their shown label (a Basic user name, a header's name), the secret parts sealed
 * (forwarding/forward-credentials.ts: AES-256-GCM under the hub secret 'forward-credentials-key',
 * the forward id as associated data), the filter (STIX types, indicator kinds; empty = all) and the
 * request limits.
 */
export const sql = `
CREATE TABLE forward_targets (
  id                   uuid PRIMARY KEY REFERENCES subscriptions(id) ON DELETE CASCADE,
  organization_id      text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  api_root_url         text NOT NULL,
  remote_collection_id text NOT NULL,
  credential_kind      text NOT NULL CHECK (credential_kind IN ('none', 'basic', 'bearer', 'header')),
  credential_label     text,
  sealed_credentials   text,
  types                text[] NOT NULL DEFAULT '{}',
  kinds                text[] NOT NULL DEFAULT '{}',
  max_objects          integer NOT NULL CHECK (max_objects > 0),
  max_bytes            integer NOT NULL CHECK (max_bytes > 0),
  created_by           text NOT NULL,
  CHECK ((credential_kind = 'none') = (sealed_credentials IS NULL))
);
CREATE INDEX forward_targets_organization_idx ON forward_targets (organization_id);
`;

/**
 * TAXII 2.1 server state.
 *
 * hub_secrets: secrets every hub process must share, e.g. the key that signs TAXII `next` tokens, so
 * that a token from one process (or from before a restart) works on another. Created on first use.
 *
 * taxii_statuses: the status resource of every POST to an objects endpoint (TAXII 2.1 §4.3), kept at
 * least 24 hours after completion. It belongs to the organization that posted: nobody else sees it.
 */
export const sql = `
CREATE TABLE hub_secrets (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE taxii_statuses (
  id                 uuid PRIMARY KEY,
  api_root_id        text NOT NULL,
  collection_id      uuid NOT NULL,
  organization_id    text NOT NULL,
  request_timestamp  bigint NOT NULL,
  completed_at       bigint,
  status             text NOT NULL CHECK (status IN ('pending', 'complete')),
  total_count        integer NOT NULL,
  success_count      integer NOT NULL,
  failure_count      integer NOT NULL,
  pending_count      integer NOT NULL,
  successes          jsonb NOT NULL DEFAULT '[]'::jsonb,
  failures           jsonb NOT NULL DEFAULT '[]'::jsonb,
  pendings           jsonb NOT NULL DEFAULT '[]'::jsonb,
  CHECK (total_count = success_count + failure_count + pending_count)
);
CREATE INDEX taxii_statuses_completed_idx ON taxii_statuses (completed_at);
`;

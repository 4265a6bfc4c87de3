/**
 * The change feed (issue 13): every committed change in a collection is an event with a position
 * from the collection clock (the same labels as date_added). Stored versions are events already
 * (stix_objects, position = date_added); what leaves no version behind is stored here.
 *
 * collection_events: removals and expiries, each written under the collection's clock lock in the
 * transaction that makes the change, with a fresh label as its position: 'deleted' (TAXII 2.1
 * DELETE of every version), 'purged' (a purge, dependents included), 'expired' (an indicator head
 * whose valid_until passed, once per head version), and, when a DELETE or purge leaves older
 * versions, the new head ('updated', 'revoked', 'benign' or 'expired' as its state says). The
 * access facts of the head concerned (provider_org_id, tlp, recipients) have stix_objects' column
 * names, so the ReadScope filter applies unchanged. `object` is the head's JSON for events that
 * carry one (expired, updated …); never for deleted and purged. collection_events_object_idx finds
 * an object's events (announced once per head version; a purge removes its content).
 *
 * expiry_watermarks: how far the expiry pass has gone per collection: every head whose valid_until
 * is at or before `expired_through`, among rows with date_added at or before `scanned_through`, was
 * announced. A pass looks only at heads with valid_until after the first (stix_objects_expiry_idx,
 * partial: indicator heads that are neither revoked nor benign) and at rows added after the second
 * (the primary key), so it never scans all indicators, and an indicator written already expired is
 * announced by the next pass. Collections written before this migration start at its time: what
 * had expired by then is not announced.
 *
 * audiences: the ReadScopes consumers read under, by key (AudienceStore).
 * subscriptions.audience_key: the audience a durable subscription's cursor was delivered under.
 */
export const sql = `
CREATE TABLE collection_events (
  collection_id    uuid NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  position         bigint NOT NULL,
  object_id        text NOT NULL,
  type             text NOT NULL,
  operation        text NOT NULL CHECK (operation IN ('updated', 'revoked', 'benign', 'expired', 'deleted', 'purged')),
  version          bigint NOT NULL,
  provider_org_id  text NOT NULL,
  tlp              text NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
  recipients       text[] NOT NULL DEFAULT '{}',
  object           jsonb,
  PRIMARY KEY (collection_id, position)
);
CREATE INDEX collection_events_object_idx ON collection_events (collection_id, object_id, version);

CREATE TABLE expiry_watermarks (
  collection_id    uuid PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE,
  expired_through  bigint NOT NULL,
  scanned_through  bigint NOT NULL
);
CREATE INDEX stix_objects_expiry_idx ON stix_objects (collection_id, valid_until)
  WHERE is_head AND lifecycle IS NULL AND valid_until IS NOT NULL;
-- What expired before the change feed existed is not announced: a consumer reading from the
-- beginning receives those versions with their valid_until.
INSERT INTO expiry_watermarks (collection_id, expired_through, scanned_through)
  SELECT collection_id, (extract(epoch FROM now()) * 1000000)::bigint, last_date_added FROM collection_clocks;

CREATE TABLE audiences (
  key    text PRIMARY KEY,
  scope  jsonb NOT NULL
);

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS audience_key text;
`;

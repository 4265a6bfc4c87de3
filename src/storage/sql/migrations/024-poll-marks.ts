/**
 * Issue 16: who polled a collection last, and how far. One row per collection and polling principal
 * (its organization, user and, when it polled with an API key, the key): when it last polled (epoch
 * milliseconds), over which protocol, and `position`, the date_added (microseconds) up to which it
 * has been served (the last version of its page, or the added_after / Exclusive_Begin it asked with,
 * whichever is later; for the hub's change feed, GET /api/collections/{c}/changes, the position of
 * the cursor it was given, on the same clock). The poll recorder writes rows in batches off the response path; several hub
 * processes may write the same row, so every write keeps the greatest time and position (never the
 * last writer's). api_key_id is '' for a poll with a password or a session.
 */
export const sql = `
CREATE TABLE poll_marks (
  collection_id    uuid NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  organization_id  text NOT NULL,
  user_id          text NOT NULL,
  api_key_id       text NOT NULL DEFAULT '',
  username         text NOT NULL,
  protocol         text NOT NULL CHECK (protocol IN ('taxii21', 'taxii11', 'changes')),
  last_polled_at   bigint NOT NULL,
  position         bigint NOT NULL CHECK (position >= 0),
  PRIMARY KEY (collection_id, organization_id, user_id, api_key_id)
);
`;

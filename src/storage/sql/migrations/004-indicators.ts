/**
 * Provider indicators: deduplication keys and lifecycle.
 *
 * indicator_keys: the hub's deduplication of unified submissions. One provider's normalised
 * (kind, value) in one collection names one current indicator: a repeated submission updates that
 * indicator (a new STIX version) instead of creating a second one. Re-listing a value after its
 * indicator was revoked points the key at the new indicator. Written only under the collection's
 * clock lock, in the transaction that stores the versions.
 *
 * stix_objects.written_by: who wrote each version (the actor name of the user or API key), so an
 * indicator's history says who made every change. Versions stored before this migration have none.
 *
 * stix_objects_id_idx: the head (highest version) of an object is read under the lock on every
 * update and transition: one backward probe of (collection_id, id, version) serves it, but the purge
 * across collections looks objects up by id alone, which this index serves.
 */
export const sql = `
CREATE TABLE indicator_keys (
  collection_id    uuid NOT NULL REFERENCES collections(id) ON DELETE RESTRICT,
  provider_org_id  text NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
  kind             text NOT NULL,
  value            text NOT NULL,
  object_id        text NOT NULL,
  PRIMARY KEY (collection_id, provider_org_id, kind, value)
);
CREATE INDEX indicator_keys_object_idx ON indicator_keys (collection_id, object_id);

ALTER TABLE stix_objects ADD COLUMN written_by text;
CREATE INDEX stix_objects_id_idx ON stix_objects (id);
`;

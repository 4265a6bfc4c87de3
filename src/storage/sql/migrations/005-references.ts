/**
 * References between shared objects, and the ids of the objects the hub makes itself.
 *
 * object_references: which object names which other object (through any `*_ref` or `*_refs`
 * property, at any depth) in one collection, one row per (source, target) whatever the version.
 * Written in the transaction that stores a version, under the collection's clock lock. It serves
 * the rule that a reader never receives a reference to an object it cannot read (an object arriving
 * after its referrers is checked against them) and purge (every reference to a purged object goes
 * too). Rows are never trusted alone: every use joins stix_objects, so a row left by a deleted
 * version names nothing.
 *
 * hub_object_keys: the hub's own objects (its identity, a provider's identity per audience, a
 * campaign per provider, name and audience, a relationship per triple) get random UUIDv4 ids, kept
 * here under the key that describes them, so an id never reveals the content it was made for.
 * scope is a collection id, or '' for hub-wide objects (the hub's identity).
 *
 * The backfill records the top-level references of objects stored before this migration.
 */
export const sql = `
CREATE TABLE object_references (
  collection_id  uuid NOT NULL REFERENCES collections(id) ON DELETE RESTRICT,
  target_id      text NOT NULL,
  source_id      text NOT NULL,
  PRIMARY KEY (collection_id, target_id, source_id)
);
CREATE INDEX object_references_source_idx ON object_references (collection_id, source_id);

CREATE TABLE hub_object_keys (
  scope      text NOT NULL,
  key        text NOT NULL,
  object_id  text NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX hub_object_keys_object_idx ON hub_object_keys (object_id);

INSERT INTO object_references (collection_id, target_id, source_id)
SELECT DISTINCT s.collection_id, t.target, s.id
  FROM stix_objects s
  CROSS JOIN LATERAL jsonb_each(s.object) AS p(name, value)
  CROSS JOIN LATERAL (
    SELECT p.value #>> '{}' AS target WHERE p.name LIKE '%\\_ref' AND jsonb_typeof(p.value) = 'string'
    UNION ALL
    SELECT e #>> '{}' FROM jsonb_array_elements(CASE WHEN p.name LIKE '%\\_refs' AND jsonb_typeof(p.value) = 'array' THEN p.value ELSE '[]'::jsonb END) AS e
     WHERE jsonb_typeof(e) = 'string'
  ) t
 WHERE t.target LIKE '%--%'
ON CONFLICT DO NOTHING;
`;

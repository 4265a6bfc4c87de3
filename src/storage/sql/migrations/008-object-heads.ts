/**
 * Read-path facts kept as columns of stix_objects, maintained by every writer in the transaction
 * that changes the versions of an object (append, TAXII DELETE, purge), under the collection's
 * clock lock.
 *
 * is_head: true on exactly one version of each (collection_id, id): the highest spec_version, and
 * within it the highest version. Since a later version never narrows who may read an object (the
 * sharing guard of issue 10), that version is the answer of the default `match[version]=last` for
 * every reader who may read the object, so the default page is a range scan over (collection_id,
 * date_added) filtered on is_head and the access predicate, with no per-row probes for newer
 * versions.
 *
 * lifecycle: 'revoked' or 'benign' for a version that carries `revoked: true` (benign when the hub
 * extension says so), null otherwise: the lifecycle list's state filter and the "revocation is final"
 * check read it instead of the object's JSON. Generated, so it cannot disagree with the object.
 * valid_until: an indicator version's valid_until in microseconds (parsed by the hub, as stateOf
 * parses it; indicators were validated on the way in, so every stored one parses).
 *
 * stix_objects_type_idx serves match[type] for a rare type in a large collection;
 * stix_objects_lifecycle_idx (only revoked/benign rows) a rare state in a large collection.
 */
export const sql = `
ALTER TABLE stix_objects
  ADD COLUMN is_head boolean NOT NULL DEFAULT false,
  ADD COLUMN valid_until bigint,
  ADD COLUMN lifecycle text GENERATED ALWAYS AS (
    CASE WHEN object->'revoked' = 'true'::jsonb THEN
      CASE WHEN object->'extensions'->'extension-definition--f92e8a7a-6b8c-4e0e-9a61-2d3c8a1e5b70'->'state' = '"benign"'::jsonb
           THEN 'benign' ELSE 'revoked' END
    END) STORED;

UPDATE stix_objects o SET is_head = true
  FROM (SELECT DISTINCT ON (collection_id, id) collection_id, date_added FROM stix_objects
         ORDER BY collection_id, id, spec_version DESC, version DESC) h
 WHERE o.collection_id = h.collection_id AND o.date_added = h.date_added;

UPDATE stix_objects
   SET valid_until = (extract(epoch FROM (object->>'valid_until')::timestamptz) * 1000000)::bigint
 WHERE type = 'indicator' AND jsonb_typeof(object->'valid_until') = 'string'
   AND object->>'valid_until' ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';

CREATE INDEX stix_objects_type_idx ON stix_objects (collection_id, type, date_added);
CREATE INDEX stix_objects_lifecycle_idx ON stix_objects (collection_id, lifecycle, date_added) WHERE lifecycle IS NOT NULL;
`;

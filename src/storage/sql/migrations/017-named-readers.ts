/**
 * Named readers (issue 14 §3): a report — a sighting (sighting_of_ref), an opinion or a note
 * (object_refs) — that names an object stored in the same collection which its writer's organization
 * may read is also readable by that object's provider, whatever the report's marking.
 *
 * stix_objects.named_readers: those providers (never the report's own provider), worked out by the
 * write path under the collection's clock lock from the writer's read scope and kept with the
 * version; '{}' for every other object. The ReadScope predicate (scope-filter.ts) adds
 * `self = ANY(named_readers)`.
 * collection_events.named_readers: the same fact of the head a removal or expiry event concerns, so
 * events filter exactly like the versions they stand for.
 *
 * Reports stored before this migration keep '{}': who wrote them and what that writer could read
 * then is not known any more, and guessing would widen what they reach.
 *
 * Figures per indicator (SqlSightingStore.figures) need no new index: object_references (migration
 * 005) already holds, per (collection_id, target_id), every object naming the indicator — sightings
 * through sighting_of_ref and opinions through object_refs alike — filled in the transaction that
 * stores the version. A page of 100 indicators is 100 primary-key ranges of object_references, then
 * one probe per report on stix_objects' unique (collection_id, id, version) index for its head. An
 * expression index on sighting_of_ref plus a GIN on object_refs would duplicate that table and slow
 * every write for nothing.
 */
export const sql = `
ALTER TABLE stix_objects ADD COLUMN named_readers text[] NOT NULL DEFAULT '{}';
ALTER TABLE collection_events ADD COLUMN named_readers text[] NOT NULL DEFAULT '{}';
`;

/**
 * stix_objects_id_idx (id alone) served only the purge's search for the collections holding an
 * object; the purge now asks each collection through the unique (collection_id, id, version) index,
 * so every append maintains one index less.
 */
export const sql = `
DROP INDEX stix_objects_id_idx;
`;

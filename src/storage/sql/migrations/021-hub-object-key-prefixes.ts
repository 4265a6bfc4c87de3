/**
 * hub_object_keys_prefix_idx: every submission looks up the hub's objects of one provider by a key
 * prefix (its identity per audience: `identity:<org>:`; a campaign per audience), in a table that
 * also holds a key per hub-made relationship, so it grows with every campaign link. The primary
 * key's btree cannot serve a prefix under the database's collation; this index (byte order,
 * text_pattern_ops) serves the range `key ~>=~ prefix AND key ~<~ prefix || U+10FFFF` that
 * CollectionWriteSession.hubObjectIds asks for. Measured on PostgreSQL with 200,000 relationship
 * keys in one collection: 46 ms per look-up as a scan, 1.2 ms through the index.
 */
export const sql = `
CREATE INDEX hub_object_keys_prefix_idx ON hub_object_keys (scope, key text_pattern_ops);
`;

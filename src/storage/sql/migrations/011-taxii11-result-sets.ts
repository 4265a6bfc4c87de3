/**
 * TAXII 1.1 multi-part poll result sets (MP-01..MP-07, MT-02), written by the poll service.
 *
 * A result set is an immutable snapshot of one poll's answer, fixed when the poll is answered: the
 * collection, the window (exclusive_begin, inclusive_end] of date_added labels (inclusive_end never
 * beyond what was committed then), and `cuts`, the upper label of every part: part k covers
 * (cuts[k-1], cuts[k]] (part 1 from exclusive_begin), so parts are contiguous label ranges and the
 * last cut is inclusive_end. Nothing can be added to a closed range later (labels only grow), so a
 * part asked for again holds the same records, less those deleted since or no longer readable.
 *
 * Owned by the requesting organization and user: only that organization may fulfil it, every other
 * caller is told it does not exist. scope_key is the canonical JSON of the ReadScope total_count was
 * counted under (a fulfilment by a caller whose scope differs counts again). Rows expire at
 * expires_at (epoch milliseconds) and are deleted when the next result set is made.
 */
export const sql = `
CREATE TABLE taxii11_result_sets (
  id               text PRIMARY KEY,
  collection_id    uuid NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  owner_org_id     text NOT NULL,
  owner_user_id    text NOT NULL,
  exclusive_begin  bigint,
  inclusive_end    bigint NOT NULL,
  cuts             bigint[] NOT NULL CHECK (cardinality(cuts) >= 1),
  total_count      integer NOT NULL CHECK (total_count >= 0),
  part_size        integer NOT NULL CHECK (part_size > 0),
  content_binding  text NOT NULL,
  subscription_id  text,
  scope_key        text NOT NULL,
  created_at       bigint NOT NULL,
  expires_at       bigint NOT NULL
);
CREATE INDEX taxii11_result_sets_expiry_idx ON taxii11_result_sets (expires_at);
`;

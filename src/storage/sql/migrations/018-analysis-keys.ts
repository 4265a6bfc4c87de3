/**
 * Analysis keys (issue 15): what each stored indicator version's values have in common with other
 * indicators' (src/domain/analysis/analysis-keys.ts), for the pivot and campaign grouping.
 *
 * analysis_keys: one row per key of one indicator version (collection_id, date_added). A version
 * never changes, so neither do its keys; they are written by the analysis indexer
 * (services/analysis/analysis-indexer.ts), which follows each collection's versions in date_added
 * order after the write commits, not by the write path (ingest does not wait for analysis). Rows go
 * with their version (ON DELETE CASCADE: a TAXII DELETE or a purge). Only heads keep keys: the
 * indexer drops the keys of the versions a new one supersedes (a value submitted again and again
 * would otherwise leave a row per version for every look-up to probe), and keys again a version that
 * a removal made the head once more. Every read still joins stix_objects for is_head and the
 * reader's ReadScope, so keys not yet dropped name nothing.
 * `key` is COLLATE "C" so that a LIKE prefix (a host's subdomains: `host:com.example.%`) uses the
 * btree; `net` (ip and net keys) is searched for containment through the GiST index (>>=, <<=).
 *
 * analysis_watermarks: per collection, the date_added through which every version has its keys.
 * Several hub processes may index at once: rows are inserted ON CONFLICT DO NOTHING and the mark
 * only moves forward (GREATEST).
 */
export const sql = `
CREATE TABLE analysis_keys (
  collection_id  uuid NOT NULL,
  date_added     bigint NOT NULL,
  key            text COLLATE "C" NOT NULL,
  net            inet,
  PRIMARY KEY (collection_id, date_added, key),
  FOREIGN KEY (collection_id, date_added) REFERENCES stix_objects (collection_id, date_added) ON DELETE CASCADE
);
CREATE INDEX analysis_keys_key_idx ON analysis_keys (key);
CREATE INDEX analysis_keys_net_idx ON analysis_keys USING gist (net inet_ops) WHERE net IS NOT NULL;

CREATE TABLE analysis_watermarks (
  collection_id    uuid PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE,
  indexed_through  bigint NOT NULL
);
`;

/**
 * Sensor feeds (issue 13 §5): what each stored indicator version gives a feed, worked out once.
 *
 * feed_entries: the entries (kind, normalised value, hash algorithm) of one stored version
 * (collection_id, date_added), with the version's properties a feed shows or filters on
 * (confidence, valid_until as stored, the provider's intentional flag). A version's object never
 * changes, so neither do its entries: they are written the first time a feed reads the version
 * (not on the write path) and read as short columns ever after, without the object's JSON or its
 * pattern being parsed again. A version that gives no entry has one row with ord = -1 and no kind,
 * so it is not worked out again. `derivation` names the code that worked the entries out; rows of
 * another derivation are worked out again. The rows go with their version (ON DELETE CASCADE: a
 * TAXII DELETE or a purge removes them).
 */
export const sql = `
CREATE TABLE feed_entries (
  collection_id  uuid NOT NULL,
  date_added     bigint NOT NULL,
  ord            integer NOT NULL,
  derivation     integer NOT NULL,
  kind           text,
  value          text,
  algorithm      text,
  confidence     smallint,
  valid_until    text,
  intentional    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (collection_id, date_added, ord),
  FOREIGN KEY (collection_id, date_added) REFERENCES stix_objects (collection_id, date_added) ON DELETE CASCADE
);
`;

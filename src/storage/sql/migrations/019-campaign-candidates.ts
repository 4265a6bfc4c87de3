/**
 * Campaign candidates (issue 15 §2).
 *
 * stix_objects.write_xact: the transaction that wrote a version, so that a candidate can count the
 * submissions its indicators came from (a submission, a TAXII POST or a lifecycle change writes its
 * versions in one transaction per collection). The column is added without a default first, so
 * versions stored before this migration keep NULL (each counts as a submission of its own) and the
 * table is not rewritten; the default then applies to every later insert, with no change to the
 * write path. txid_current() is the 64-bit transaction id (with its epoch), so it never repeats.
 *
 * campaign_candidate_rejections: who rejected which candidate, when, why, and the members it had
 * then (`<collection id>/<object id>`): a candidate that holds two or more members of a rejected
 * set stays rejected for every reader, whatever it grows into.
 */
export const sql = `
ALTER TABLE stix_objects ADD COLUMN write_xact bigint;
ALTER TABLE stix_objects ALTER COLUMN write_xact SET DEFAULT txid_current();

CREATE TABLE campaign_candidate_rejections (
  id              bigserial PRIMARY KEY,
  candidate_id    text NOT NULL,
  rejected_at     bigint NOT NULL,
  rejected_by     text NOT NULL,
  organization_id text NOT NULL,
  reason          text,
  members         text[] NOT NULL
);
`;

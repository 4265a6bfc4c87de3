/**
 * A poll's type filter (TAXII 2.1 match[type], the change feed's types): the lag of a consumer that
 * asks only for some types counts only versions of those types, not every version it never asked
 * for. Like the protocol, the mark keeps the latest poll's filter. NULL: every type (no filter, or a
 * mark written before this migration); otherwise the types, sorted and comma-separated.
 */
export const sql = `
ALTER TABLE poll_marks ADD COLUMN types text;
`;

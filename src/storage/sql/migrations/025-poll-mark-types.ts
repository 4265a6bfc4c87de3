/**
 * Last poll and lag, continued (issue 16):
 * - a poll's type filter (TAXII 2.1 match[type], the change feed's types): the lag of a consumer that
 *   asks only for some types counts only versions of those types, not every version it never asked
 *   for. Like the protocol, the mark keeps the latest poll's filter. NULL: every type (no filter, or
 *   a mark written before this migration); otherwise the types, sorted and comma-separated;
 * - reads of a sensor feed (GET /api/collections/{c}/feeds/{format}) are polls too: protocol 'feed';
 *   and live streams (GET /api/collections/{c}/stream), on each heartbeat and when they end: 'stream'.
 */
export const sql = `
ALTER TABLE poll_marks ADD COLUMN types text;
ALTER TABLE poll_marks DROP CONSTRAINT poll_marks_protocol_check;
ALTER TABLE poll_marks ADD CONSTRAINT poll_marks_protocol_check CHECK (protocol IN ('taxii21', 'taxii11', 'changes', 'feed', 'stream'));
`;

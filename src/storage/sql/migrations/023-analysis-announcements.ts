/**
 * Early warning reads what is keyed, not what one hub process keyed (issue 15): indicators get their
 * analysis keys as they are written (inline-analysis-keys.ts) or from the analysis indexer, and the
 * early-warning listeners hear each collection's keyed versions in date_added order up to
 * analysis_watermarks.indexed_through, from a mark of their own. announced_through moves once the
 * listeners have heard a batch, so a batch whose announcement failed is heard again (announce() writes
 * each version's notice once per collection whatever hears it twice). Collections indexed before
 * this migration were announced as they were indexed.
 */
export const sql = `
ALTER TABLE analysis_watermarks ADD COLUMN announced_through bigint NOT NULL DEFAULT 0;
UPDATE analysis_watermarks SET announced_through = indexed_through;
`;

/**
 * Matching logs against shared indicators (issue 14): the vocabulary, the entries an indicator gives
 * and the index that finds them. Pure: no I/O.
 */
export * from './match-types';
export { matchEntriesOf, type MatchMeta } from './match-entries';
export { createMatchIndex } from './match-index';
export { createLogLineReader } from './log-formats';

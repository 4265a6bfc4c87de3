/**
 * The local mirror `taxii-hub match` keeps (issue 14): the active indicators the credentials may
 * read, synced incrementally over TAXII 2.1 and the hub's change feed into a small directory
 * (crash-safe, resumable, one sync at a time), loaded as a match index.
 */
export { syncMirror, type SyncOptions, type SyncProgress, type SyncSummary } from './mirror-sync';
export { loadMirror, type LoadedMirror } from './mirror-load';
export { NoMirrorError } from './mirror-files';

/** Log-line readers, one per log format (issue 14): a line in, observations out. Pure: no I/O. */
export { createLogLineReader } from './log-line-reader';

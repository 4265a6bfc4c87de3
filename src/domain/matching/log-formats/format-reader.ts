import type { LogFormat, Observe } from '../match-types';

/**
 * One log format's reader, as createLogLineReader drives it. `read` says whether the line is of this
 * format at all (a Postfix line with nothing to match still is), so 'auto' knows whom to ask first
 * next time; it observes nothing when it answers false. `time` reads the time of a line `read` claimed.
 */
export interface FormatReader {
  read(line: string, observe: Observe): boolean;
  time(line: string, nowMs: number): number | undefined;
  /** For a reader of two formats that look alike (nginx and Apache): which one the last line was. */
  readonly detected?: LogFormat;
}

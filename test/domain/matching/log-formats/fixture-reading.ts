import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import type { LogFormat, ObservationKind } from '../../../../src/domain/matching/match-types';

/** Reading the shared fixtures line by line, as `taxii-hub match` does, into plain rows to compare. */

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixtureLines(name: string): string[] {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** One observation: the 1-based line number, the kind, the field and the raw value. */
export type Row = [number, ObservationKind, string, string];

export interface ReadResult {
  readonly rows: Row[];
  /** What `read` answered for each line. */
  readonly formats: (LogFormat | undefined)[];
}

export function readLines(format: LogFormat | 'auto', lines: readonly string[]): ReadResult {
  const reader = createLogLineReader(format);
  const rows: Row[] = [];
  const formats: (LogFormat | undefined)[] = [];
  lines.forEach((line, index) => {
    formats.push(reader.read(line, (kind, field, raw) => rows.push([index + 1, kind, field, raw])));
  });
  return { rows, formats };
}

export function readFixture(format: LogFormat | 'auto', name: string): ReadResult {
  return readLines(format, fixtureLines(name));
}

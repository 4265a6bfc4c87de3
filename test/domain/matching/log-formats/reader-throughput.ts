/**
 * By-hand throughput check of read() alone (not a test: timings vary with the machine):
 *   npx tsc --outDir /tmp/reader-throughput --module node16 --moduleResolution node16 --target es2022 \
 *     --types node --skipLibCheck --ignoreConfig --rootDir . test/domain/matching/log-formats/reader-throughput.ts
 *   ln -sfn "$PWD/test/domain/matching/fixtures" /tmp/reader-throughput/test/domain/matching/fixtures
 *   node /tmp/reader-throughput/test/domain/matching/log-formats/reader-throughput.js
 * Prints lines per CPU second for each fixture, read with its format named and with 'auto'.
 */
import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import type { LogFormat } from '../../../../src/domain/matching/match-types';
import { fixtureLines } from './fixture-reading';

const LINES = 2_000_000;

function linesOf(name: string): string[] {
  const base = fixtureLines(name);
  // Distinct strings, as lines read from a file are (no interned constants).
  return Array.from({ length: 10_000 }, (_, i) => `${base[i % base.length] ?? ''}`.replace(/\b10:0/, `10:${String(i % 6)}`));
}

function measure(format: LogFormat | 'auto', lines: readonly string[]): number {
  const reader = createLogLineReader(format);
  let observations = 0;
  const observe = (): void => {
    observations += 1;
  };
  for (let i = 0; i < 200_000; i += 1) reader.read(lines[i % lines.length] ?? '', observe);
  // CPU time rather than wall time: a shared machine's other processes do not count against the reader.
  const start = process.cpuUsage();
  for (let i = 0; i < LINES; i += 1) reader.read(lines[i % lines.length] ?? '', observe);
  const used = process.cpuUsage(start);
  const seconds = (used.user + used.system) / 1e6;
  if (observations === 0) throw new Error('nothing observed');
  return LINES / seconds;
}

for (const [format, name] of [['postfix', 'postfix-with-subjects.log'], ['postfix', 'postfix-plain.log'], ['squid', 'squid-access.log']] as const) {
  const lines = linesOf(name);
  for (const mode of [format, 'auto'] as const) {
    console.log(`${name} as ${mode}: ${Math.round(measure(mode, lines)).toLocaleString('en')} lines/s (CPU)`);
  }
}

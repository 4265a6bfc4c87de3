import type { LogLineReader, MatchHit, MatchIndex, Observe } from '../../domain/matching/match-types';
import { forEachLine } from './line-source';
import type { MatchInput } from './match-inputs';

/** A hit in an input: where (input, line number), what matched, and when the line says it happened. */
export interface FoundHit {
  readonly input: string;
  readonly line: number;
  readonly hit: MatchHit;
  /** Milliseconds since the epoch: the line's own time, else the file's modification time, else the scan's start. */
  readonly timeMs: number;
  /** Where `timeMs` comes from: the line itself, the file's modification time, or the scan's start (standard input). */
  readonly timeFrom: 'line' | 'file' | 'scan';
}

/** Counted as the scan goes (the progress display reads them). */
export interface ScanCounters {
  lines: number;
}

export interface ScanOptions {
  readonly index: MatchIndex;
  /** A fresh reader for this input: a Zeek header or an Exchange CSV header row is per input. */
  readonly reader: LogLineReader;
  /** The scan's start, in milliseconds: entries expired by then do not match; a year-less syslog time is read at or before it. */
  readonly nowMs: number;
  readonly counters: ScanCounters;
  readonly onHit: (hit: FoundHit) => void;
}

/**
 * Reads every line of one input, observes its values with the reader and looks each up in the index.
 * The per-line path allocates nothing unless a line hits; the line's time is read only for lines that hit.
 */
export async function scanInput(input: MatchInput, chunks: AsyncIterable<Buffer>, options: ScanOptions): Promise<void> {
  const { index, reader, nowMs, counters, onHit } = options;
  const nowMicros = nowMs * 1000;
  let lineHits: MatchHit[] = [];
  const collect = (hit: MatchHit): void => void lineHits.push(hit);
  const observe: Observe = (kind, field, raw) => index.lookup(kind, field, raw, nowMicros, collect);
  let lineNumber = 0;
  const fallbackTime = input.mtimeMs ?? nowMs;
  const fallbackFrom = input.mtimeMs === undefined ? 'scan' : 'file';

  await forEachLine(chunks, (line) => {
    lineNumber += 1;
    counters.lines += 1;
    reader.read(line, observe);
    if (lineHits.length === 0) return;
    const hits = distinct(lineHits);
    lineHits = [];
    const logged = reader.time(line, nowMs);
    for (const hit of hits) {
      onHit({ input: input.name, line: lineNumber, hit, timeMs: logged ?? fallbackTime, timeFrom: logged === undefined ? fallbackFrom : 'line' });
    }
  });
}

/** A value a format observes twice on one line (e.g. the same host as `url` and `host`) hits once per field. */
function distinct(hits: MatchHit[]): MatchHit[] {
  if (hits.length === 1) return hits;
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const key = `${hit.entry.indicatorId}\u0000${hit.entry.value}\u0000${hit.field}\u0000${hit.observed}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

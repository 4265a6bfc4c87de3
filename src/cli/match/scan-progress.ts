import type { TerminalStream } from '../import/import-progress';

/** Where the scan stands, read by the progress line each time it is redrawn. */
export interface ScanState {
  readonly bytesDone: number;
  readonly lines: number;
  readonly hits: number;
  readonly inputsDone: number;
}

export interface ScanProgress {
  /** Called after each chunk read; redraws at most every REDRAW_MS, and only once the scan is large. */
  update(state: ScanState): void;
  /** Removes the line before something else is written to standard error, and at the end. */
  clear(): void;
}

export const REDRAW_MS = 200;
/** A scan that is over within this time shows no progress at all (the input is not large). */
export const SHOW_AFTER_MS = 1000;
const CLEAR_LINE = '\r\x1b[K';

/**
 * One line on standard error, redrawn in place: bytes done of the total (when known; standard input has
 * none), lines read, lines per second, hits. Only on a terminal and only once the scan has run for a
 * second; in a pipe or a log file nothing at all, so cron mail and CI logs hold the summary alone.
 */
export function createScanProgress(stream: TerminalStream, totals: { readonly bytes?: number; readonly inputs: number }, now: () => number = Date.now): ScanProgress {
  if (!stream.isTTY) return { update() {}, clear() {} };
  const started = now();
  let lastDraw = 0;
  let shown = false;
  return {
    update(state) {
      const at = now();
      if (at - started < SHOW_AFTER_MS || at - lastDraw < REDRAW_MS) return;
      lastDraw = at;
      const text = progressLine(state, totals, (at - started) / 1000);
      const width = stream.columns !== undefined && stream.columns > 1 ? stream.columns - 1 : undefined;
      stream.write(`${CLEAR_LINE}${width !== undefined ? text.slice(0, width) : text}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write(CLEAR_LINE);
      shown = false;
    },
  };
}

export function progressLine(state: ScanState, totals: { readonly bytes?: number; readonly inputs: number }, seconds: number): string {
  const done = megabytes(state.bytesDone);
  const bytes = totals.bytes !== undefined && totals.bytes > 0
    ? `${done}/${megabytes(totals.bytes)} (${Math.min(100, Math.floor((state.bytesDone / totals.bytes) * 100))}%)`
    : done;
  const rate = seconds > 0 ? Math.round(state.lines / seconds) : 0;
  return `scanning ${bytes}  ${state.lines.toLocaleString('en')} lines  ${rate.toLocaleString('en')} lines/s  ${state.hits} hits  input ${Math.min(state.inputsDone + 1, totals.inputs)}/${totals.inputs}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

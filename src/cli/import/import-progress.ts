/** Where progress goes: standard error in the command, a recorder in tests. */
export interface TerminalStream {
  readonly isTTY: boolean;
  /** The terminal's width, when known: a redrawn line must not wrap. */
  readonly columns?: number;
  write(text: string): void;
}

export type OutcomeCounts = Readonly<Record<'created' | 'updated' | 'unchanged' | 'rejected', number>>;

/** Where the import stands: bytes and files done so far, and the running counts. */
export interface ProgressState {
  readonly bytesDone: number;
  readonly filesDone: number;
  readonly counts: OutcomeCounts;
}

export interface ImportProgress {
  /** The import advanced (a batch or a file is done). */
  update(state: ProgressState): void;
  /** A line to keep (a rejection, a failed file). */
  line(text: string): void;
  /** A file was imported; `counts` are that file's own. */
  fileDone(file: string, counts: OutcomeCounts, state: ProgressState): void;
  /** The import is over: nothing of the progress display stays on screen. */
  finish(): void;
}

export interface ProgressOptions {
  readonly totalBytes: number;
  readonly totalFiles: number;
  /** Milliseconds; tests inject a clock. */
  readonly now?: () => number;
}

/** A TTY redraws its bar at most this often. */
export const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 24;
const CLEAR_LINE = '\r\x1b[K';

export function formatCounts(counts: OutcomeCounts): string {
  return `created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}, rejected ${counts.rejected}`;
}

/**
 * On a TTY: one line redrawn in place (a bar by bytes and files, files done, the running counts), cleared
 * before each kept line and at the end. Elsewhere (a pipe, a log file): one plain line per
 * imported file, and no control characters at all.
 */
export function createImportProgress(stream: TerminalStream, options: ProgressOptions): ImportProgress {
  return stream.isTTY ? ttyProgress(stream, options) : plainProgress(stream);
}

function plainProgress(stream: TerminalStream): ImportProgress {
  return {
    update() {},
    line(text) {
      stream.write(`${text}\n`);
    },
    fileDone(file, counts) {
      stream.write(`imported ${file}: ${formatCounts(counts)}\n`);
    },
    finish() {},
  };
}

function ttyProgress(stream: TerminalStream, options: ProgressOptions): ImportProgress {
  const now = options.now ?? Date.now;
  let shown = false;
  let lastDraw: number | undefined;

  function draw(state: ProgressState): void {
    const at = now();
    // A bar cleared for a kept line comes back at once; one on screen waits for its interval.
    if (shown && lastDraw !== undefined && at - lastDraw < REDRAW_INTERVAL_MS) return;
    lastDraw = at;
    const text = barLine(state, options);
    const width = stream.columns !== undefined && stream.columns > 1 ? stream.columns - 1 : undefined;
    stream.write(`${CLEAR_LINE}${width !== undefined ? text.slice(0, width) : text}`);
    shown = true;
  }

  function clear(): void {
    if (!shown) return;
    stream.write(CLEAR_LINE);
    shown = false;
  }

  return {
    update: draw,
    line(text) {
      clear();
      stream.write(`${text}\n`);
    },
    fileDone: (_file, _counts, state) => draw(state),
    finish: clear,
  };
}

/**
 * How far the import is, 0 to 1: the mean of the bytes done and the files done, so that many small
 * files after a large one (each a request of its own) still count, and never 1 (a full bar, 100%)
 * while a file remains.
 */
export function progressFraction(state: ProgressState, options: Pick<ProgressOptions, 'totalBytes' | 'totalFiles'>): number {
  if (options.totalFiles > 0 && state.filesDone >= options.totalFiles) return 1;
  const files = options.totalFiles > 0 ? state.filesDone / options.totalFiles : 0;
  const bytes = options.totalBytes > 0 ? Math.min(1, state.bytesDone / options.totalBytes) : files;
  return Math.min((bytes + files) / 2, 0.99);
}

function barLine(state: ProgressState, options: ProgressOptions): string {
  const fraction = progressFraction(state, options);
  const filled = Math.floor(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${bar} ${percent}  ${state.filesDone}/${options.totalFiles} files  ${formatCounts(state.counts)}`;
}

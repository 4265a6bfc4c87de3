import type { TerminalStream } from '../import/import-progress';
import { syncMirror, type SyncOptions, type SyncSummary } from './mirror';
import { REDRAW_MS } from './scan-progress';

const CLEAR_LINE = '\r\x1b[K';

/**
 * Syncs the mirror, showing on a terminal which collection is being read and how far, then one line
 * per collection and the indicators held (standard error; not with --quiet). Notices (a collection no
 * longer readable, a server without a change feed) are printed even with --quiet: they change what
 * the scan can find.
 */
export async function syncWithProgress(options: SyncOptions, io: { err(text: string): void; progress(): TerminalStream }, quiet: boolean): Promise<SyncSummary> {
  const stream = io.progress();
  const live = stream.isTTY && !quiet;
  let shown = false;
  let lastDraw = 0;
  let summary: SyncSummary;
  try {
    summary = await syncMirror(options, (progress) => {
      const now = Date.now();
      if (!live || now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      stream.write(`${CLEAR_LINE}syncing ${progress.collection}: ${progress.objects.toLocaleString('en')} objects read, ${progress.removed.toLocaleString('en')} removed`);
      shown = true;
    });
  } finally {
    if (shown) stream.write(CLEAR_LINE);
  }
  if (!quiet) for (const line of syncLines(summary)) io.err(line);
  for (const notice of summary.notices) io.err(`taxii-hub: ${notice}`);
  return summary;
}

export function syncLines(summary: SyncSummary): string[] {
  return [
    ...summary.collections.map((c) => `synced ${c.title} (${c.id}): ${c.objects.toLocaleString('en')} objects read, ${c.removed.toLocaleString('en')} removed${c.full ? ' (full)' : ''}`),
    `the mirror holds ${summary.indicators.toLocaleString('en')} indicators`,
  ];
}

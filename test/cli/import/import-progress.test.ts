import { createImportProgress, progressFraction, REDRAW_INTERVAL_MS, type ProgressState } from '../../../src/cli/import/import-progress';

function recorder(isTTY: boolean, columns?: number) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns, write: (text: string) => void chunks.push(text) } };
}

const counts = (created: number, rejected = 0) => ({ created, updated: 0, unchanged: 0, rejected });
const at = (bytesDone: number, filesDone: number, created: number, rejected = 0): ProgressState => ({ bytesDone, filesDone, counts: counts(created, rejected) });

describe('import progress on a terminal', () => {
  test('redraws one line in place with a bar by bytes, files done and the running counts', () => {
    const { chunks, stream } = recorder(true);
    const progress = createImportProgress(stream, { totalBytes: 1000, totalFiles: 4, now: () => 0 });
    progress.update(at(500, 2, 7, 1));
    expect(chunks).toEqual(['\r\x1b[K[############............]  50%  2/4 files  created 7, updated 0, unchanged 0, rejected 1']);
  });

  test(`redraws at most every ${REDRAW_INTERVAL_MS} ms`, () => {
    const { chunks, stream } = recorder(true);
    let clock = 0;
    const progress = createImportProgress(stream, { totalBytes: 100, totalFiles: 1, now: () => clock });
    progress.update(at(10, 0, 1));
    clock = 50;
    progress.update(at(20, 0, 2));
    clock = 100;
    progress.update(at(30, 0, 3));
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toContain('created 3');
  });

  test('clears the bar before a kept line and at the end, so only kept lines stay', () => {
    const { chunks, stream } = recorder(true);
    const progress = createImportProgress(stream, { totalBytes: 100, totalFiles: 1, now: () => 0 });
    progress.update(at(10, 0, 1));
    progress.line('a.json: indicator--1: pattern: bad');
    progress.finish();
    expect(chunks.slice(1)).toEqual(['\r\x1b[K', 'a.json: indicator--1: pattern: bad\n']);
    progress.update(at(100, 1, 1));
    progress.finish();
    expect(chunks.at(-1)).toBe('\r\x1b[K');
  });

  test('a large first file does not fill the bar while the small files after it remain', () => {
    const { chunks, stream } = recorder(true);
    // One 10 MB bundle, then 99 small submissions: bytes say 99.9%, but 99 files (99 requests) remain.
    const progress = createImportProgress(stream, { totalBytes: 10_000_000 + 99 * 100, totalFiles: 100, now: () => 0 });
    progress.update(at(10_000_000, 1, 500));
    expect(chunks[0]).toBe('\r\x1b[K[############............]  50%  1/100 files  created 500, updated 0, unchanged 0, rejected 0');
  });

  test('shows 100% and a full bar only once every file is done', () => {
    const totals = { totalBytes: 1000, totalFiles: 3 };
    expect(progressFraction(at(1000, 2, 0), totals)).toBeLessThan(1); // every byte read, one (empty) file to go
    expect(progressFraction(at(999, 2, 0), totals)).toBeLessThan(1);
    expect(progressFraction(at(1000, 3, 0), totals)).toBe(1);
    const { chunks, stream } = recorder(true);
    createImportProgress(stream, { ...totals, now: () => 0 }).update(at(1000, 2, 0));
    expect(chunks[0]).not.toContain('100%');
    expect(chunks[0]).toContain('.]'); // the bar is not full
  });

  test('never draws a line wider than the terminal', () => {
    const { chunks, stream } = recorder(true, 40);
    createImportProgress(stream, { totalBytes: 10, totalFiles: 1, now: () => 0 }).update(at(5, 0, 123456, 7));
    expect((chunks[0] as string).replace('\r\x1b[K', '')).toHaveLength(39);
  });
});

describe('import progress elsewhere (a pipe, a log file)', () => {
  test('writes one plain line per imported file, the kept lines, and no control characters', () => {
    const { chunks, stream } = recorder(false);
    const progress = createImportProgress(stream, { totalBytes: 100, totalFiles: 2, now: () => 0 });
    progress.update(at(10, 0, 1));
    progress.line('a.json: indicators[1]: value: is not a SHA-256 hash');
    progress.fileDone('a.json', counts(3, 1), at(50, 1, 3, 1));
    progress.update(at(60, 1, 4));
    progress.fileDone('b.json', { created: 0, updated: 2, unchanged: 5, rejected: 0 }, at(100, 2, 3, 1));
    progress.finish();
    expect(chunks.join('')).toBe(
      [
        'a.json: indicators[1]: value: is not a SHA-256 hash',
        'imported a.json: created 3, updated 0, unchanged 0, rejected 1',
        'imported b.json: created 0, updated 2, unchanged 5, rejected 0',
        '',
      ].join('\n'),
    );
    // eslint-disable-next-line no-control-regex
    expect(chunks.join('')).not.toMatch(/[\r\x1b]/);
  });
});

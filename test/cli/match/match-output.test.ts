import { alignedTable, hitRow, tableOutput } from '../../../src/cli/match/hit-output';
import type { FoundHit } from '../../../src/cli/match/scan-input';
import { createScanProgress, SHOW_AFTER_MS } from '../../../src/cli/match/scan-progress';
import { createSightingTally, sightingsBody } from '../../../src/cli/match/sighting-report';
import type { MatchEntry } from '../../../src/domain/matching/match-types';

/** What `taxii-hub match` prints and reports, from hits made by hand. */

const ENTRY: MatchEntry = {
  indicatorId: 'indicator--0b1c6a0e-3a43-4c6b-9f1a-2f0a9f1b2c3d',
  kind: 'email-subject',
  value: 'Invoice overdue',
  collection: '948f89cd-d3ab-4b2e-bb60-bdffe702b793',
  tlp: 'amber+strict',
  campaigns: ['Paper Cut', 'Ledger'],
};
const OTHER: MatchEntry = { ...ENTRY, indicatorId: 'indicator--9e7f2b1a-5c4d-4e3f-8a2b-1c0d9e8f7a6b', kind: 'email-sender-ip', value: '192.0.2.7', campaigns: [] };

function found(entry: MatchEntry, input: string, line: number, timeMs: number, observed = 'Invoice overdue', field = 'subject'): FoundHit {
  return { input, line, timeMs, timeFrom: 'line', hit: { entry, kind: 'subject', field, observed, how: 'exact' } };
}

test('a table row: where, field, value, indicator, kind, collection, TLP, campaigns, provider, how', () => {
  expect(hitRow(found(ENTRY, 'mail.log', 12, 0), () => 'acme-internal')).toEqual([
    'mail.log:12', 'subject', 'Invoice overdue', ENTRY.indicatorId, 'email-subject', 'acme-internal', 'AMBER+STRICT', 'Paper Cut, Ledger', '-', 'exact',
  ]);
});

test('control characters a log line carried (a crafted subject) are escaped, never sent to the terminal', () => {
  const row = hitRow(found(ENTRY, 'mail.log', 1, 0, 'Invoice\u001b[2J\u0007 overdue'), (id) => id);
  expect(row[2]).toBe('Invoice\\x1b[2J\\x07 overdue');
});

test('columns are aligned two spaces apart, the last one unpadded', () => {
  expect(alignedTable([['A', 'BB', 'C'], ['aaa', 'b', 'c']])).toBe('A    BB  C\naaa  b   c');
});

test('the table is printed per block under a header, and nothing when there was no hit', () => {
  const printed: string[] = [];
  const output = tableOutput((text) => printed.push(text), (id) => id, 2);
  output.flush();
  expect(printed).toEqual([]);
  for (let line = 1; line <= 3; line++) output.hit(found(ENTRY, 'mail.log', line, 0));
  output.flush();
  expect(printed).toHaveLength(2);
  expect(printed.map((block) => block.split('\n').length)).toEqual([3, 2]);
  expect(printed.every((block) => block.startsWith('WHERE'))).toBe(true);
});

test('the tally counts log lines per indicator and collection, with the first and last times', () => {
  const tally = createSightingTally();
  tally.add(found(ENTRY, 'a.log', 5, 3_000));
  tally.add(found(ENTRY, 'a.log', 5, 3_000, 'Invoice overdue', 'header-subject')); // the same line again: one sighting
  tally.add(found(OTHER, 'a.log', 5, 3_000));
  tally.add(found(ENTRY, 'b.log', 5, 1_000)); // another file, same line number: another sighting
  tally.add(found(ENTRY, 'a.log', 9, 7_000));
  const counts = tally.byCollection().get(ENTRY.collection);
  expect(counts).toEqual([
    { indicator: ENTRY.indicatorId, count: 3, firstMs: 1_000, lastMs: 7_000 },
    { indicator: OTHER.indicatorId, count: 1, firstMs: 3_000, lastMs: 3_000 },
  ]);
  // What is sent: ids, counts, times and the marking; nothing from the log.
  const body = sightingsBody(counts ?? [], 'green');
  expect(body).toEqual({
    sightings: [
      { indicator: ENTRY.indicatorId, count: 3, first_seen: '1970-01-01T00:00:01.000Z', last_seen: '1970-01-01T00:00:07.000Z' },
      { indicator: OTHER.indicatorId, count: 1, first_seen: '1970-01-01T00:00:03.000Z', last_seen: '1970-01-01T00:00:03.000Z' },
    ],
    marking: 'green',
  });
  expect(JSON.stringify(body)).not.toMatch(/a\.log|Invoice/);
});

describe('progress on standard error', () => {
  const state = { bytesDone: 5_000_000, lines: 40_000, hits: 2, inputsDone: 0 };

  test('in a pipe nothing at all, however long the scan', () => {
    const written: string[] = [];
    let now = 0;
    const progress = createScanProgress({ isTTY: false, write: (t) => written.push(t) }, { bytes: 10_000_000, inputs: 1 }, () => now);
    now = 60_000;
    progress.update(state);
    progress.clear();
    expect(written).toEqual([]);
  });

  test('on a terminal only once the scan has run a second, redrawn in place and cleared at the end', () => {
    const written: string[] = [];
    let now = 0;
    const progress = createScanProgress({ isTTY: true, columns: 200, write: (t) => written.push(t) }, { bytes: 10_000_000, inputs: 2 }, () => now);
    now = SHOW_AFTER_MS - 1;
    progress.update(state);
    expect(written).toEqual([]);
    now = 2_000;
    progress.update(state);
    expect(written).toEqual(['\r\x1b[Kscanning 5.0 MB/10.0 MB (50%)  40,000 lines  20,000 lines/s  2 hits  input 1/2']);
    progress.clear();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
});

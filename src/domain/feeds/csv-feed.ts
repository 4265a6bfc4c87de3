import { INDICATOR_KINDS } from '../indicators';
import { formatMicros } from '../timestamps';
import type { FeedEntry } from './feed-entry';
import type { FeedChange, FeedRenderer } from './feed-formats';
import { entriesOfKinds } from './feed-selection';

/**
 * `csv`: RFC 4180 (CRLF line ends, a header line, a field quoted when it holds `,` `"` CR or LF,
 * `"` doubled inside quotes). Safe to open in a spreadsheet: a field whose first character is
 * `=` `+` `-` `@`, tab or CR (after any apostrophes) gets one more apostrophe in front and is
 * quoted, so it is never read as a formula. A program reading the feed removes one leading
 * apostrophe from a field matching /^'+[=+\-@\t\r]/ to get the value back.
 *
 * Columns: value, kind, algorithm (file hashes), confidence, valid_until, tlp, campaign (names
 * joined by "; "), indicator_id, version (the indicator's `modified`). The delta form puts `op`
 * (add / remove) and `reason` (why a removal) in front.
 */

const COLUMNS = ['value', 'kind', 'algorithm', 'confidence', 'valid_until', 'tlp', 'campaign', 'indicator_id', 'version'] as const;
const DELTA_COLUMNS = ['op', 'reason', ...COLUMNS] as const;
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return safe !== text || NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function line(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function entryFields(entry: FeedEntry): string[] {
  return [
    entry.value,
    entry.kind,
    entry.algorithm ?? '',
    entry.confidence === undefined ? '' : String(entry.confidence),
    entry.validUntil ?? '',
    entry.tlp,
    entry.campaigns.join('; '),
    entry.indicatorId,
    formatMicros(entry.version),
  ];
}

function render(entries: readonly FeedEntry[]): string {
  return [line(COLUMNS), ...entriesOfKinds(entries, INDICATOR_KINDS).map((entry) => line(entryFields(entry)))].join('');
}

function changeFields(change: FeedChange): string[] {
  if (change.op === 'add') return ['add', '', ...entryFields(change.entry)];
  if (change.entry !== undefined) return ['remove', change.reason, ...entryFields(change.entry)];
  return ['remove', change.reason, '', '', '', '', '', '', '', change.indicatorId, ''];
}

function renderDelta(changes: readonly FeedChange[]): string {
  return [line(DELTA_COLUMNS), ...changes.map((change) => line(changeFields(change)))].join('');
}

export const CSV_FEED: FeedRenderer = {
  format: 'csv',
  contentType: 'text/csv; charset=utf-8; header=present',
  kinds: INDICATOR_KINDS,
  supportsDelta: true,
  render,
  renderDelta,
};

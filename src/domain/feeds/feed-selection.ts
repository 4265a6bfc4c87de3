import { INDICATOR_KINDS, type IndicatorKind } from '../indicators';
import type { FeedEntry } from './feed-entry';

/** How renderers pick and order entries, and make free text safe for one line of a header or comment. */

const KIND_ORDER: ReadonlyMap<IndicatorKind, number> = new Map(INDICATOR_KINDS.map((kind, i) => [kind, i]));

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kind (in INDICATOR_KINDS order), algorithm, value, indicator id: the same set always renders the same text. */
export function compareEntries(a: FeedEntry, b: FeedEntry): number {
  return (
    (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) ||
    compareText(a.algorithm ?? '', b.algorithm ?? '') ||
    compareText(a.value, b.value) ||
    compareText(a.indicatorId, b.indicatorId)
  );
}

/** The entries of these kinds, sorted. */
export function entriesOfKinds(entries: readonly FeedEntry[], kinds: readonly IndicatorKind[]): FeedEntry[] {
  const wanted = new Set(kinds);
  return entries.filter((entry) => wanted.has(entry.kind)).sort(compareEntries);
}

/** Printable ASCII only: any other character becomes `?`, runs of whitespace one space. For headers, comments and messages. */
export function printableAscii(text: string, max = 200): string {
  const flat = text.replace(/\s+/gu, ' ').replace(/[^\x20-\x7e]/gu, '?').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

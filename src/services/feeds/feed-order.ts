import type { FeedEntry } from '../../domain/feeds/feed-entry';
import { INDICATOR_KINDS, type IndicatorKind } from '../../domain/indicators';

/**
 * The order a feed lists its entries in (the renderers keep the order they are given): kind (in
 * INDICATOR_KINDS order), algorithm, value, indicator id. The same set always renders the same
 * bytes, whether it was read in full or brought up to date from the change feed.
 */

const KIND_ORDER: ReadonlyMap<IndicatorKind, number> = new Map(INDICATOR_KINDS.map((kind, i) => [kind, i]));

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareFeedEntries(a: FeedEntry, b: FeedEntry): number {
  return (
    (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) ||
    compareText(a.algorithm ?? '', b.algorithm ?? '') ||
    compareText(a.value, b.value) ||
    compareText(a.indicatorId, b.indicatorId)
  );
}

/** Two lists in compareFeedEntries order as one, in one pass. */
export function mergeFeedEntries(a: readonly FeedEntry[], b: readonly FeedEntry[]): FeedEntry[] {
  if (b.length === 0) return [...a];
  const out = new Array<FeedEntry>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareFeedEntries(a[i] as FeedEntry, b[j] as FeedEntry) <= 0 ? (a[i++] as FeedEntry) : (b[j++] as FeedEntry);
  while (i < a.length) out[k++] = a[i++] as FeedEntry;
  while (j < b.length) out[k++] = b[j++] as FeedEntry;
  return out;
}

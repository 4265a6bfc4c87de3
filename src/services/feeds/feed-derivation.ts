import { feedEntriesOf } from '../../domain/feeds/feed-entry';
import { HUB_EXTENSION_ID } from '../../domain/hub-extension';
import type { ActiveIndicator, DerivedFeedEntries, IndicatorSource, SensorFeedStore } from '../../storage/sensor-feed-store';

/**
 * Names how feed entries are worked out of a version (feedEntriesOf and derivedOf): raise it when
 * they change, and every saved version is worked out again on its next read.
 */
export const FEED_ENTRY_DERIVATION = 1;

/** What a version gives a feed, worked out of its source properties as feedEntriesOf reads them. */
export function derivedOf(source: IndicatorSource): DerivedFeedEntries {
  const indicator = {
    type: 'indicator',
    id: source.id,
    ...(source.modified !== undefined ? { modified: source.modified } : {}),
    ...(source.pattern !== undefined ? { pattern: source.pattern } : {}),
    ...(source.patternType !== undefined ? { pattern_type: source.patternType } : {}),
    ...(source.confidence !== undefined ? { confidence: source.confidence } : {}),
    ...(source.validUntil !== undefined ? { valid_until: source.validUntil } : {}),
    extensions: { [HUB_EXTENSION_ID]: source.hubKind !== undefined ? { kind: source.hubKind } : {} },
  };
  const entries = feedEntriesOf(indicator, 'clear');
  const first = entries[0];
  return {
    values: entries.map((e) => ({ kind: e.kind, value: e.value, ...(e.algorithm !== undefined ? { algorithm: e.algorithm } : {}) })),
    ...(first?.confidence !== undefined ? { confidence: first.confidence } : {}),
    ...(first?.validUntil !== undefined ? { validUntil: first.validUntil } : {}),
    intentional: source.intentional,
  };
}

/**
 * What the heads not worked out before give (their feed entries: values, confidence, valid_until),
 * from the few properties the store extracts, through feedEntriesOf (pattern parse, normalisation),
 * saved so that no later reader (a feed render, a match index) does it again; a failed save costs
 * only that. By the heads' date_added.
 */
export async function deriveMissing(feeds: Pick<SensorFeedStore, 'indicatorSources' | 'saveDerived'>, collectionId: string, heads: readonly Pick<ActiveIndicator, 'dateAdded' | 'derived'>[]): Promise<ReadonlyMap<number, DerivedFeedEntries>> {
  const missing = heads.filter((h) => h.derived === undefined).map((h) => h.dateAdded);
  const worked = new Map<number, DerivedFeedEntries>();
  if (missing.length === 0) return worked;
  for (const source of await feeds.indicatorSources(collectionId, missing)) worked.set(source.dateAdded, derivedOf(source));
  await feeds.saveDerived(collectionId, FEED_ENTRY_DERIVATION, [...worked].map(([dateAdded, derived]) => ({ dateAdded, derived }))).catch(() => {});
  return worked;
}

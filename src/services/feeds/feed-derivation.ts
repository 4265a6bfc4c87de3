import { derivedOf, FEED_ENTRY_DERIVATION } from '../../domain/feeds/feed-derivation';
import type { ActiveIndicator, DerivedFeedEntries, SensorFeedStore } from '../../storage/sensor-feed-store';

/** How versions' feed entries are worked out lives in the domain (the write path works them out too). */
export { derivedOf, FEED_ENTRY_DERIVATION };

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

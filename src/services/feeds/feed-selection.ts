import { createFeedEntryReader, type FeedEntry } from '../../domain/feeds/feed-entry';
import type { TlpLevel } from '../../domain/tenancy';
import { isIntentional, type WarningLists } from '../../domain/warning-lists';
import type { FeedQuery } from './feed-query';

/**
 * Which entries of an indicator version a feed lists: those of the format's kinds (and the kind and
 * algorithm asked for), of at least min_confidence, and no value on a warning list unless the
 * provider marked the indicator as intentional (issue 13 §6).
 */
export interface FeedSelection {
  readonly listsVersion: string;
  /** The entries of a version's worked-out values the feed lists. */
  select(entries: readonly FeedEntry[], intentional: boolean, query: FeedQuery): FeedEntry[];
  /**
   * The entries of a version (as stored) the feed lists; `ignoreWarnings`: the warned values too
   * (what a removal names: a consumer may hold them from before).
   */
  entries(indicator: Readonly<Record<string, unknown>>, tlp: TlpLevel, campaigns: readonly string[], query: FeedQuery, ignoreWarnings?: boolean): FeedEntry[];
}

/** Patterns whose values a selection remembers (a delta or an update of a kept feed reads at most this many new ones at full speed). */
const REMEMBERED_PATTERNS = 20_000;

export function feedSelection(lists: WarningLists): FeedSelection {
  const feedEntriesOf = createFeedEntryReader(REMEMBERED_PATTERNS);
  const select = (entries: readonly FeedEntry[], intentional: boolean, query: FeedQuery): FeedEntry[] =>
    entries.filter(
      (e) =>
        query.renderer.kinds.includes(e.kind) &&
        (query.kind === undefined || e.kind === query.kind) &&
        (query.algorithm === undefined || e.algorithm === query.algorithm) &&
        (query.minConfidence === undefined || query.minConfidence === 0 || (e.confidence !== undefined && e.confidence >= query.minConfidence)) &&
        (intentional || lists.check(e.kind, e.value) === undefined),
    );
  return {
    get listsVersion() {
      return lists.version;
    },
    select,
    entries(indicator, tlp, campaigns, query, ignoreWarnings = false) {
      const all = feedEntriesOf(indicator, tlp, campaigns);
      return all.length === 0 ? all : select(all, ignoreWarnings || isIntentional(indicator), query);
    },
  };
}

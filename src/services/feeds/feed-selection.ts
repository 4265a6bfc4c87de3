import { feedEntriesOf, type FeedEntry } from '../../domain/feeds/feed-entry';
import type { TlpLevel } from '../../domain/tenancy';
import { isIntentional, type WarningLists } from '../../domain/warning-lists';
import type { FeedQuery } from './feed-query';

/**
 * Which entries of an indicator version a feed lists: those of the format's kinds (and the kind and
 * algorithm asked for), and no value on a warning list unless the provider marked the indicator as
 * intentional (issue 13 §6).
 */
export interface FeedSelection {
  readonly listsVersion: string;
  /** `ignoreWarnings`: also the warned values (what a removal names: a consumer may hold them from before). */
  entries(indicator: Readonly<Record<string, unknown>>, tlp: TlpLevel, campaigns: readonly string[], query: FeedQuery, ignoreWarnings?: boolean): FeedEntry[];
}

export function feedSelection(lists: WarningLists): FeedSelection {
  return {
    get listsVersion() {
      return lists.version;
    },
    entries(indicator, tlp, campaigns, query, ignoreWarnings = false) {
      const all = feedEntriesOf(indicator, tlp, campaigns);
      if (all.length === 0) return all;
      const intentional = ignoreWarnings || isIntentional(indicator);
      return all.filter(
        (e) =>
          query.renderer.kinds.includes(e.kind) &&
          (query.kind === undefined || e.kind === query.kind) &&
          (query.algorithm === undefined || e.algorithm === query.algorithm) &&
          (intentional || lists.check(e.kind, e.value) === undefined),
      );
    },
  };
}

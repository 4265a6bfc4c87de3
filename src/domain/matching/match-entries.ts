import { feedEntriesOf, patternValues, type PatternReader } from '../feeds/feed-entry';
import type { TlpLevel } from '../tenancy';
import { parseMicros } from '../timestamps';
import type { MatchEntry } from './match-types';

/** What a hit prints about where an indicator came from: the same for every entry of one indicator. */
export interface MatchMeta {
  readonly collection: string;
  readonly tlp: TlpLevel;
  readonly campaigns: readonly string[];
  /** The provider's name, only when the collection's attribution lets the reader know it. */
  readonly provider?: string;
}

/**
 * The values of one stored STIX 2.1 indicator the matcher can find in logs: its sensor-feed entries
 * (feedEntriesOf: each value normalised as the hub normalises submissions; none when no sensor could
 * use the pattern) with where it came from. Whatever the indicator's state: the caller decides which
 * indicators are active. `readPattern` may be a memo (createFeedEntryReader's) for a mirror.
 */
export function matchEntriesOf(indicator: Readonly<Record<string, unknown>>, meta: MatchMeta, readPattern: PatternReader = patternValues): MatchEntry[] {
  const entries = feedEntriesOf(indicator, meta.tlp, [], readPattern);
  if (entries.length === 0) return [];
  const validUntilMicros = entries[0]?.validUntil === undefined ? undefined : parseMicros(entries[0].validUntil);
  const campaigns = [...meta.campaigns];
  return entries.map(({ indicatorId, kind, value, algorithm, confidence }) => ({
    indicatorId,
    kind,
    value,
    ...(algorithm === undefined ? {} : { algorithm }),
    collection: meta.collection,
    tlp: meta.tlp,
    campaigns,
    ...(meta.provider === undefined ? {} : { provider: meta.provider }),
    ...(validUntilMicros === undefined ? {} : { validUntilMicros }),
    ...(confidence === undefined ? {} : { confidence }),
  }));
}

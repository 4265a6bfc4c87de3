import { INDICATOR_KINDS, type IndicatorKind } from '../indicators';
import { normaliseIpAddress } from '../indicators/ip-address';
import type { FeedEntry } from './feed-entry';

/** How renderers pick and order entries, and make free text safe for one line of a header or comment. */

/**
 * The entries of these kinds, grouped by kind (in INDICATOR_KINDS order) and hash algorithm, in the
 * order given within a group. Linear: a feed of a million entries is not sorted (that alone took
 * seconds); the feed service gives entries in a fixed order, so the same set renders the same text.
 */
export function entriesOfKinds(entries: readonly FeedEntry[], kinds: readonly IndicatorKind[]): FeedEntry[] {
  const buckets = new Map<string, FeedEntry[]>();
  const wanted = new Set(kinds);
  for (const entry of entries) {
    if (!wanted.has(entry.kind)) continue;
    const key = entry.algorithm === undefined ? entry.kind : `${entry.kind} ${entry.algorithm}`;
    const bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, [entry]);
    else bucket.push(entry);
  }
  const order = (key: string): number => INDICATOR_KINDS.indexOf(key.split(' ')[0] as IndicatorKind);
  const keys = [...buckets.keys()].sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
  const grouped: FeedEntry[] = [];
  for (const key of keys) for (const entry of buckets.get(key) as FeedEntry[]) grouped.push(entry);
  return grouped;
}

/** Printable ASCII only: any other character becomes `?`, runs of whitespace one space. For headers, comments and messages. */
export function printableAscii(text: string, max = 200): string {
  const flat = text.replace(/\s+/gu, ' ').replace(/[^\x20-\x7e]/gu, '?').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/**
 * Whether a value is an IP address or network exactly as the hub writes one (canonical, no host bits
 * set): what a renderer checks before putting it where a sensor parses an address.
 */
export function isCanonicalIp(value: string): boolean {
  const ip = normaliseIpAddress(value);
  return ip.ok && ip.value.text === value;
}

import { INDICATOR_KINDS } from '../indicators';
import { formatMicros } from '../timestamps';
import type { FeedEntry } from './feed-entry';
import type { FeedChange, FeedContext, FeedRenderer } from './feed-formats';

/**
 * `stix`: a STIX 2.1 bundle of the indicators the entries come from, each as stored
 * (context.objects), each once, in the order of their first entry. Its delta form is JSON: the changes in order, an addition with its
 * entry and indicator, a removal with the indicator id, the reason and the entry when known.
 */

/** 32-bit FNV-1a with a seed: four of them make the 128 bits of a derived bundle id. */
function fnv1a(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A bundle id derived from the text (the same feed, the same id): UUID version 4 layout with the
 * version and variant bits set, as STIX 2.1 recommends for bundles.
 */
export function derivedBundleId(text: string): string {
  const hex = [1, 2, 3, 4].map((seed) => fnv1a(text, seed).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `bundle--${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function bundleIdOf(context: FeedContext, kind: string): string {
  return context.bundleId ?? derivedBundleId(`${kind}\u0000${context.collection}\u0000${context.cursor ?? context.generatedAt}`);
}

function render(entries: readonly FeedEntry[], context: FeedContext): string {
  const ids = new Set(entries.map((entry) => entry.indicatorId));
  const objects: Readonly<Record<string, unknown>>[] = [];
  for (const id of ids) {
    const object = context.objects?.get(id);
    if (object !== undefined) objects.push(object);
  }
  return JSON.stringify({ type: 'bundle', id: bundleIdOf(context, 'bundle'), objects });
}

function entryJson(entry: FeedEntry): Record<string, unknown> {
  return {
    value: entry.value,
    kind: entry.kind,
    ...(entry.algorithm === undefined ? {} : { algorithm: entry.algorithm }),
    ...(entry.confidence === undefined ? {} : { confidence: entry.confidence }),
    ...(entry.validUntil === undefined ? {} : { valid_until: entry.validUntil }),
    tlp: entry.tlp,
    campaigns: entry.campaigns,
    version: formatMicros(entry.version),
  };
}

function changeJson(change: FeedChange, context: FeedContext): Record<string, unknown> {
  if (change.op === 'add') {
    const object = context.objects?.get(change.indicatorId);
    return { op: 'add', indicator_id: change.indicatorId, entry: entryJson(change.entry), ...(object === undefined ? {} : { object }) };
  }
  return { op: 'remove', indicator_id: change.indicatorId, reason: change.reason, ...(change.entry === undefined ? {} : { entry: entryJson(change.entry) }) };
}

function renderDelta(changes: readonly FeedChange[], context: FeedContext): string {
  return JSON.stringify({
    collection: context.collection,
    generated_at: context.generatedAt,
    ...(context.cursor === undefined ? {} : { cursor: context.cursor }),
    changes: changes.map((change) => changeJson(change, context)),
  });
}

export const STIX_FEED: FeedRenderer = {
  format: 'stix',
  contentType: 'application/stix+json;version=2.1',
  kinds: INDICATOR_KINDS,
  supportsDelta: true,
  render,
  renderDelta,
  deltaContentType: 'application/json',
};

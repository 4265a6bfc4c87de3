import type { FeedEntry } from '../../domain/feeds/feed-entry';
import { compareFeedEntries, mergeFeedEntries } from './feed-order';
import type { Principal } from '../../domain/principal';
import type { TlpLevel } from '../../domain/tenancy';
import { tlpFromMarkingRefs } from '../../domain/tlp';
import { parseMicros } from '../../domain/timestamps';
import { NOTICE_OPERATIONS, REMOVAL_OPERATIONS, type ChangeEvent } from '../../storage/change-feed-store';
import type { ChangeFeedService } from '../delivery/change-feed/change-feed-service';
import type { FeedQuery } from './feed-query';
import type { FeedSelection } from './feed-selection';

/**
 * A feed at a new position from the feed at an earlier one: the change feed's events between the
 * two (as the reader reads them, whose audience is the kept feed's) applied to the kept entry set,
 * so a render after a few changes reads those changes, not every indicator again. Falls back to a
 * full render (undefined) when the changes touch campaigns or relationships (campaign names of
 * indicators not changed could change) or are too many to be worth it.
 */

export interface IncrementalDeps {
  readonly changeFeed: ChangeFeedService;
  readonly selection: FeedSelection;
  readonly now: () => number;
}

export interface IncrementalRequest {
  readonly collectionId: string;
  readonly defaultMarking: TlpLevel;
  readonly query: FeedQuery;
  /** The kept feed's cursor, entries (in compareFeedEntries order) and how many indicators they are of. */
  readonly cursor: string;
  readonly entries: readonly FeedEntry[];
  readonly indicators: number;
}

export interface IncrementalResult {
  readonly cursor: string;
  readonly position: number;
  /** In compareFeedEntries order (the feed's order). */
  readonly entries: FeedEntry[];
  readonly indicators: number;
  readonly changes: number;
}

/** More changes than this since the kept feed: a full render instead. */
export const MAX_INCREMENTAL_CHANGES = 50_000;
const PAGE = 1000;

export async function applyChanges(deps: IncrementalDeps, who: Principal, request: IncrementalRequest): Promise<IncrementalResult | undefined> {
  const last = new Map<string, ChangeEvent>();
  let cursor = request.cursor;
  let read = 0;
  for (;;) {
    const page = await deps.changeFeed.read(who, request.collectionId, cursor, PAGE, { types: ['indicator', 'relationship', 'campaign'] });
    for (const event of page.events) {
      if (NOTICE_OPERATIONS.includes(event.operation)) continue; // a notice (campaign activity) changes no entry
      if (event.type !== 'indicator') return undefined;
      last.set(event.objectId, event);
    }
    read += page.events.length;
    cursor = page.cursor;
    if (!page.more) break;
    if (read > MAX_INCREMENTAL_CHANGES) return undefined;
  }
  const decoded = deps.changeFeed.decodeCursor(request.collectionId, cursor);
  if (!decoded.ok) return undefined;
  // The kept entries of the indicators that changed go; their campaigns stay with them (no
  // relationship or campaign changed, else a full render).
  const campaigns = new Map<string, readonly string[]>();
  let gone = 0;
  const keptEntries = request.entries.filter((e) => {
    if (!last.has(e.indicatorId)) return true;
    if (!campaigns.has(e.indicatorId)) {
      campaigns.set(e.indicatorId, e.campaigns);
      gone += 1;
    }
    return false;
  });
  const nowMicros = deps.now() * 1000;
  const added: FeedEntry[] = [];
  let addedIndicators = 0;
  for (const event of last.values()) {
    if (REMOVAL_OPERATIONS.includes(event.operation) || event.json === undefined) continue;
    const object = JSON.parse(event.json) as Record<string, unknown>;
    if (object.revoked === true || expired(object, nowMicros)) continue;
    const refs = Array.isArray(object.object_marking_refs) ? object.object_marking_refs.filter((r): r is string => typeof r === 'string') : [];
    const entries = deps.selection.entries(object, tlpFromMarkingRefs(refs) ?? request.defaultMarking, campaigns.get(event.objectId) ?? [], request.query);
    if (entries.length > 0) addedIndicators += 1;
    added.push(...entries);
  }
  added.sort(compareFeedEntries);
  return { cursor, position: decoded.position, entries: mergeFeedEntries(keptEntries, added), indicators: request.indicators - gone + addedIndicators, changes: read };
}

function expired(object: Record<string, unknown>, nowMicros: number): boolean {
  if (typeof object.valid_until !== 'string') return false;
  const until = parseMicros(object.valid_until);
  return until !== undefined && until <= nowMicros;
}

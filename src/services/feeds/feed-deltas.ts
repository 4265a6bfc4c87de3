import type { FeedEntry } from '../../domain/feeds/feed-entry';
import type { FeedChange, FeedContext, FeedRemovalReason } from '../../domain/feeds/feed-formats';
import type { Principal } from '../../domain/principal';
import type { TlpLevel } from '../../domain/tenancy';
import { tlpFromMarkingRefs } from '../../domain/tlp';
import { parseMicros } from '../../domain/timestamps';
import { NOTICE_OPERATIONS, REMOVAL_OPERATIONS, type ChangeEvent } from '../../storage/change-feed-store';
import type { ChangeFeedService } from '../delivery/change-feed/change-feed-service';
import type { FeedQuery } from './feed-query';
import type { FeedSelection } from './feed-selection';

/**
 * A `since` delta: the reader's change-feed events after its cursor (access lost and gained first
 * when its audience changed), collapsed to the last event per indicator, as additions and removals.
 * - A removal (revoked, benign, expired, deleted, purged, access lost) removes the indicator: one
 *   `remove` per value of the version removed when the event carries it, else one by indicator id.
 * - A version now active (created, updated, access gained) lists its entries as `add`; an `add`
 *   replaces what a consumer held for that indicator id. An update whose version is past its
 *   valid_until removes it as expired.
 */

export interface DeltaDeps {
  readonly changeFeed: ChangeFeedService;
  readonly selection: FeedSelection;
  readonly now: () => number;
}

export interface DeltaRequest {
  readonly collectionId: string;
  readonly defaultMarking: TlpLevel;
  readonly query: FeedQuery;
  readonly since: string;
  readonly context: (cursor: string) => FeedContext;
}

/** Events read per change-feed call. */
const PAGE = 1000;
/** A delta longer than this is answered with the full feed instead (readDelta answers undefined). */
export const MAX_DELTA_EVENTS = 100_000;

export async function readDelta(deps: DeltaDeps, who: Principal, request: DeltaRequest): Promise<{ text: string; cursor: string; contentType: string } | undefined> {
  const { renderer } = request.query;
  if (renderer.renderDelta === undefined) return undefined;
  const last = new Map<string, ChangeEvent>();
  let cursor = request.since;
  let read = 0;
  for (;;) {
    const page = await deps.changeFeed.read(who, request.collectionId, cursor, PAGE, { types: ['indicator'] });
    for (const event of page.events) {
      if (NOTICE_OPERATIONS.includes(event.operation)) continue; // a notice (campaign activity) changes no entry
      // Re-inserted so that the map's order is the order of each indicator's last event.
      last.delete(event.objectId);
      last.set(event.objectId, event);
    }
    read += page.events.length;
    cursor = page.cursor;
    if (!page.more) break;
    if (read > MAX_DELTA_EVENTS) return undefined;
  }
  const at = deps.now() * 1000;
  const changes: FeedChange[] = [];
  // The stix delta carries each added indicator as stored.
  const objects = new Map<string, Readonly<Record<string, unknown>>>();
  for (const event of last.values()) {
    const object = event.json === undefined ? undefined : (JSON.parse(event.json) as Record<string, unknown>);
    const eventChanges = changesOf(deps, request, event, object, at);
    if (object !== undefined && eventChanges.some((c) => c.op === 'add')) objects.set(event.objectId, object);
    changes.push(...eventChanges);
  }
  const context = request.context(cursor);
  return { text: renderer.renderDelta(changes, request.query.format === 'stix' ? { ...context, objects } : context), cursor, contentType: renderer.deltaContentType ?? renderer.contentType };
}

function changesOf(deps: DeltaDeps, request: DeltaRequest, event: ChangeEvent, object: Record<string, unknown> | undefined, nowMicros: number): FeedChange[] {
  const indicatorId = event.objectId;
  const removal = (reason: FeedRemovalReason): FeedChange[] => {
    const values = object === undefined ? [] : entriesOf(deps, request, object, 'all');
    return values.length > 0 ? values.map((entry) => ({ op: 'remove', indicatorId, reason, entry })) : [{ op: 'remove', indicatorId, reason }];
  };
  if (REMOVAL_OPERATIONS.includes(event.operation)) return removal(event.operation as FeedRemovalReason);
  if (object === undefined) return [];
  if (isExpired(object, nowMicros)) return event.operation === 'created' ? [] : removal('expired');
  if (!confidentEnough(object, request.query.minConfidence)) return [];
  return entriesOf(deps, request, object, 'listed').map((entry) => ({ op: 'add', indicatorId, entry }));
}

/** The entries of a version this feed shows; `listed`: only those a full feed would list (warning lists applied). */
function entriesOf(deps: DeltaDeps, request: DeltaRequest, object: Record<string, unknown>, which: 'all' | 'listed'): FeedEntry[] {
  const refs = Array.isArray(object.object_marking_refs) ? object.object_marking_refs.filter((r): r is string => typeof r === 'string') : [];
  const tlp = tlpFromMarkingRefs(refs) ?? request.defaultMarking;
  return deps.selection.entries(object, tlp, [], request.query, which === 'all');
}

function isExpired(object: Record<string, unknown>, nowMicros: number): boolean {
  if (typeof object.valid_until !== 'string') return false;
  const until = parseMicros(object.valid_until);
  return until !== undefined && until <= nowMicros;
}

function confidentEnough(object: Record<string, unknown>, minConfidence: number | undefined): boolean {
  return minConfidence === undefined || minConfidence === 0 || (typeof object.confidence === 'number' && object.confidence >= minConfidence);
}

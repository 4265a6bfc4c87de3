import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ReadScope } from '../../access/read-scope';
import { hubError, isHubError } from '../../domain/errors';
import type { FeedEntry } from '../../domain/feeds/feed-entry';
import type { FeedContext, FeedFormat, FeedRenderer } from '../../domain/feeds/feed-formats';
import type { Principal } from '../../domain/principal';
import type { TlpLevel } from '../../domain/tenancy';
import type { IndicatorKind, HashAlgorithm } from '../../domain/indicators';
import { nowMicros } from '../../domain/timestamps';
import type { ChangeFeedStore } from '../../storage/change-feed-store';
import type { ActiveIndicator, DerivedFeedEntries, SensorFeedStore } from '../../storage/sensor-feed-store';
import type { CollectionService } from '../collection-service';
import { collectionNamedIfAny } from '../collection-names';
import type { ChangeFeedService } from '../delivery/change-feed/change-feed-service';
import type { PolicyService } from '../policy-service';
import { readDelta } from './feed-deltas';
import { deriveMissing, FEED_ENTRY_DERIVATION } from './feed-derivation';

export { FEED_ENTRY_DERIVATION } from './feed-derivation';
import { compareFeedEntries } from './feed-order';
import { applyChanges } from './incremental-render';
import { feedEtag, feedKey, matchesIfNoneMatch } from './feed-etag';
import { checkFeedRequest, feedParameters, type FeedQuery, type FeedRequest } from './feed-query';
import type { FeedSelection } from './feed-selection';
import { RenderedFeedCache, type RenderedFeed, type RenderedFeedCacheStats } from './rendered-feed-cache';
import type { PollRecorder } from '../poll-marks/poll-recorder';

/**
 * Sensor feeds (issue 13 §5): a collection's readable, active indicators rendered for a sensor.
 * A full feed is rendered once per (collection, audience, format, parameters) and kept, shared by
 * every reader of the same audience, while the collection's change-feed position and the warning
 * lists' version stay the same; its ETag names exactly that, so a conditional request is answered
 * 304 from the position alone, without rendering or reading an object. `since` answers what changed
 * after a change-feed cursor (feed-deltas.ts).
 */

export interface FeedConditions {
  /** The request's If-None-Match header. */
  readonly ifNoneMatch?: string;
  readonly acceptsGzip: boolean;
}

export type FeedAnswer =
  | { readonly status: 'not-modified'; readonly etag: string; readonly cursor?: string }
  | {
      readonly status: 'ok';
      /** `full`: the whole set; `delta`: additions and removals after `since`. */
      readonly content: 'full' | 'delta';
      /** Full feeds only (a delta depends on the reader's cursor). */
      readonly etag?: string;
      readonly cursor: string;
      readonly contentType: string;
      readonly body: Buffer;
      readonly gzip: boolean;
    };

export interface FeedCounters {
  /** Full feeds rendered (each read the collection's active indicators once). */
  readonly renders: number;
  /** Full feeds answered from a render made for another request. */
  readonly cacheHits: number;
  /** 304 answers. */
  readonly notModified: number;
  /** Delta answers. */
  readonly deltas: number;
  /** Indicator versions whose entries were worked out (each once: then they are read as saved). */
  readonly derivedVersions: number;
  /** Feeds rendered from a kept feed and the changes since it (no full read). */
  readonly incrementalRenders: number;
  readonly cache: RenderedFeedCacheStats;
}

export interface FeedService {
  fetch(who: Principal | undefined, request: FeedRequest, conditions: FeedConditions): Promise<FeedAnswer>;
  counters(): FeedCounters;
}

export interface FeedServiceDeps {
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly policy: Pick<PolicyService, 'current'>;
  readonly feeds: SensorFeedStore;
  /** The collection position (the change feed's clock): a rendered feed is valid while it stays. */
  readonly positions: Pick<ChangeFeedStore, 'lastPosition'>;
  readonly changeFeed: ChangeFeedService;
  readonly renderers: ReadonlyMap<FeedFormat, FeedRenderer>;
  readonly selection: FeedSelection;
  /** The hub's name in feed headers. */
  readonly hubName: string;
  /** The origin of RPZ zones (default `rpz.taxii-hub.invalid.`). */
  readonly rpzOrigin?: string;
  readonly now?: () => number;
  /** The cache's bound, bodies, gzip forms and entry sets together (default 1 GiB). */
  readonly cacheBytes?: number;
  /** Heads read per query while rendering (default 5,000). */
  readonly chunkSize?: number;
  /**
   * Told of every answered feed read (200 or 304) as a poll of the collection's indicators, at the
   * position the reader now holds: the console's last poll and lag (issue 16).
   */
  readonly polls?: Pick<PollRecorder, 'polled'>;
}

const DEFAULT_CACHE_BYTES = 1024 * 1024 * 1024;
/** What a feed carries: its readers' lag counts indicators only. */
const FEED_TYPES: readonly string[] = ['indicator'];
const DEFAULT_CHUNK = 5000;
const gzipAsync = promisify(gzip);

/** A collection as the feed of one reader sees it. */
interface Resolved {
  readonly collectionId: string;
  readonly scope: ReadScope;
  readonly defaultMarking: TlpLevel;
}

export function createFeedService(deps: FeedServiceDeps): FeedService {
  const now = deps.now ?? Date.now;
  const cache = new RenderedFeedCache(deps.cacheBytes ?? DEFAULT_CACHE_BYTES);
  const inFlight = new Map<string, Promise<RenderedFeed>>();
  const counts = { renders: 0, cacheHits: 0, notModified: 0, deltas: 0, derivedVersions: 0, incrementalRenders: 0 };
  const chunk = deps.chunkSize ?? DEFAULT_CHUNK;

  /** The gate of a TAXII read: the same 401/403/404, and the reader's scope. */
  async function resolve(who: Principal, collectionId: string): Promise<Resolved> {
    const policy = await deps.policy.current();
    const cp = collectionNamedIfAny(policy, collectionId, { who });
    const unknown = hubError('NOT_FOUND', `There is no collection ${collectionId}`);
    if (cp === undefined) throw unknown;
    try {
      const { scope } = await deps.collections.resolveForAction(who, cp.collection.apiRootId, cp.collection.id, 'read');
      return { collectionId: cp.collection.id, scope, defaultMarking: cp.collection.defaultMarking };
    } catch (error) {
      // Worded as an unknown collection, so the two cannot be told apart.
      if (isHubError(error) && error.code === 'NOT_FOUND') throw unknown;
      throw error;
    }
  }

  function contextOf(query: FeedQuery, cursor: string, position: number): FeedContext {
    return {
      hubName: deps.hubName,
      collection: query.collection,
      generatedAt: new Date(now()).toISOString(),
      cursor,
      ...(query.kind !== undefined ? { kind: query.kind } : {}),
      ...(query.algorithm !== undefined ? { algorithm: query.algorithm } : {}),
      ...(query.postfix !== undefined ? { postfix: query.postfix } : {}),
      // The serial rises with the collection position (seconds of its clock fit 32 bits until 2106).
      ...(query.format === 'rpz' ? { rpz: { origin: deps.rpzOrigin ?? 'rpz.taxii-hub.invalid.', serial: Math.floor(position / 1_000_000) } } : {}),
    };
  }

  async function render(who: Principal, resolved: Resolved, query: FeedQuery, key: string): Promise<RenderedFeed> {
    // The cursor first: everything committed up to its position is in what is read after it.
    const cursor = await deps.changeFeed.currentCursor(who, resolved.collectionId);
    const decoded = deps.changeFeed.decodeCursor(resolved.collectionId, cursor);
    if (!decoded.ok) throw new Error(`feeds: the change feed's own cursor does not decode: ${decoded.reason}`);
    const listsVersion = deps.selection.listsVersion;
    const at = nowMicros(now);
    const stix = query.format === 'stix';
    const objects = new Map<string, Readonly<Record<string, unknown>>>();
    const entries: FeedEntry[] = [];
    let indicators = 0;
    let after: number | undefined;
    const campaigns = await deps.feeds.campaignNames(resolved.collectionId, resolved.scope);
    for (;;) {
      const page = await deps.feeds.activeIndicators(
        {
          collectionId: resolved.collectionId,
          scope: resolved.scope,
          nowMicros: at,
          derivation: FEED_ENTRY_DERIVATION,
          whole: stix,
          ...(after !== undefined ? { afterDateAdded: after } : {}),
        },
        chunk,
      );
      const worked = await derive(resolved.collectionId, page.indicators);
      for (const head of page.indicators) {
        const derived = head.derived ?? worked.get(head.dateAdded);
        if (derived === undefined) continue; // gone since it was read
        indicators += 1;
        const listed = deps.selection.select(entriesOf(head, derived, campaigns.get(head.id) ?? []), derived.intentional, query);
        for (const entry of listed) entries.push(entry);
        if (stix && listed.length > 0 && head.json !== undefined) objects.set(head.id, JSON.parse(head.json) as Record<string, unknown>);
      }
      after = page.indicators.at(-1)?.dateAdded;
      if (!page.more || after === undefined) break;
    }
    const context = contextOf(query, cursor, decoded.position);
    entries.sort(compareFeedEntries); // the feed's order (renderers keep it); kept so, a later render merges changes in one pass
    const text = query.renderer.render(entries, stix ? { ...context, objects } : context);
    counts.renders += 1;
    return {
      position: decoded.position, listsVersion, etag: feedEtag(key, decoded.position, listsVersion), cursor, body: Buffer.from(text, 'utf8'), indicators, entries: entries.length,
      // The stix bundle needs every object: it is always rendered in full.
      ...(stix ? {} : { kept: entries }),
    };
  }

  /** The feed at the collection's new position from the kept one and the changes since (a full render when that does not apply). */
  async function update(who: Principal, resolved: Resolved, query: FeedQuery, key: string, previous: RenderedFeed & { readonly kept: readonly FeedEntry[] }): Promise<RenderedFeed> {
    const listsVersion = deps.selection.listsVersion;
    const result = await applyChanges({ changeFeed: deps.changeFeed, selection: deps.selection, now }, who, {
      collectionId: resolved.collectionId, defaultMarking: resolved.defaultMarking, query, cursor: previous.cursor, entries: previous.kept, indicators: previous.indicators,
    });
    if (result === undefined || listsVersion !== previous.listsVersion) return render(who, resolved, query, key);
    const { entries } = result;
    const text = query.renderer.render(entries, contextOf(query, result.cursor, result.position));
    counts.incrementalRenders += 1;
    return {
      position: result.position, listsVersion, etag: feedEtag(key, result.position, listsVersion), cursor: result.cursor, body: Buffer.from(text, 'utf8'),
      indicators: result.indicators, entries: entries.length, kept: entries,
    };
  }

  /** What the heads not worked out before give a feed (worked out once, then saved: feed-derivation.ts). */
  async function derive(collectionId: string, heads: readonly ActiveIndicator[]): Promise<ReadonlyMap<number, DerivedFeedEntries>> {
    const worked = await deriveMissing(deps.feeds, collectionId, heads);
    counts.derivedVersions += worked.size;
    return worked;
  }

  /** The full feed, from the cache while it is current, else rendered once for every reader waiting on it. */
  async function fullFeed(who: Principal, resolved: Resolved, query: FeedQuery, conditions: FeedConditions): Promise<FeedAnswer> {
    const key = feedKey({ collectionId: resolved.collectionId, scope: resolved.scope, parameters: feedParameters(query) });
    const position = await deps.positions.lastPosition(resolved.collectionId);
    const listsVersion = deps.selection.listsVersion;
    const cached = cache.get(key);
    const current = cached !== undefined && cached.position === position && cached.listsVersion === listsVersion ? cached : undefined;
    const etag = feedEtag(key, position, listsVersion);
    if (matchesIfNoneMatch(conditions.ifNoneMatch, etag)) {
      counts.notModified += 1;
      deps.polls?.polled(who, resolved.collectionId, 'feed', position, FEED_TYPES);
      return { status: 'not-modified', etag, ...(current !== undefined ? { cursor: current.cursor } : {}) };
    }
    let feed = current;
    if (feed !== undefined) counts.cacheHits += 1;
    else {
      let pending = inFlight.get(key);
      if (pending === undefined) {
        const previous = cached?.kept !== undefined && cached.listsVersion === listsVersion ? { ...cached, kept: cached.kept } : undefined;
        pending = (previous !== undefined ? update(who, resolved, query, key, previous) : render(who, resolved, query, key)).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
        feed = await pending;
        cache.set(key, feed);
      } else {
        feed = await pending;
        counts.cacheHits += 1;
      }
    }
    const body = conditions.acceptsGzip ? await cache.gzip(key, feed) : feed.body;
    deps.polls?.polled(who, resolved.collectionId, 'feed', feed.position, FEED_TYPES);
    return { status: 'ok', content: 'full', etag: feed.etag, cursor: feed.cursor, contentType: query.renderer.contentType, body, gzip: conditions.acceptsGzip };
  }

  return {
    async fetch(who, request, conditions) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED', 'Send HTTP Basic credentials or an API key');
      const query = checkFeedRequest(request, deps.renderers);
      const resolved = await resolve(who, query.collection);
      if (query.since !== undefined) {
        const decoded = deps.changeFeed.decodeCursor(resolved.collectionId, query.since);
        if (!decoded.ok) throw hubError('INVALID_CURSOR', { description: `since: ${decoded.reason}`, problems: [{ path: 'since', message: decoded.reason }] });
        const delta = await readDelta({ changeFeed: deps.changeFeed, selection: deps.selection, now }, who, {
          collectionId: resolved.collectionId,
          defaultMarking: resolved.defaultMarking,
          query,
          since: query.since,
          context: (cursor) => contextOf(query, cursor, decoded.position),
        });
        if (delta !== undefined) {
          counts.deltas += 1;
          const body = Buffer.from(delta.text, 'utf8');
          const reached = deps.changeFeed.decodeCursor(resolved.collectionId, delta.cursor);
          if (reached.ok) deps.polls?.polled(who, resolved.collectionId, 'feed', reached.position, FEED_TYPES);
          return { status: 'ok', content: 'delta', cursor: delta.cursor, contentType: delta.contentType, body: conditions.acceptsGzip ? await gzipAsync(body) : body, gzip: conditions.acceptsGzip };
        }
      }
      return fullFeed(who, resolved, query, conditions);
    },
    counters: () => ({ ...counts, cache: cache.stats() }),
  };
}

/** A head's feed entries from what its version gives. */
function entriesOf(head: ActiveIndicator, derived: DerivedFeedEntries, campaigns: readonly string[]): FeedEntry[] {
  return derived.values.map((v) => ({
    indicatorId: head.id,
    version: head.version,
    kind: v.kind as IndicatorKind,
    value: v.value,
    ...(v.algorithm !== undefined ? { algorithm: v.algorithm as HashAlgorithm } : {}),
    ...(derived.confidence !== undefined ? { confidence: derived.confidence } : {}),
    ...(derived.validUntil !== undefined ? { validUntil: derived.validUntil } : {}),
    tlp: head.tlp,
    campaigns,
  }));
}

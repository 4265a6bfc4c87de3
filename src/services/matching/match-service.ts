import { collectionAccess, type CollectionPolicy, type CompiledPolicy } from '../../access';
import type { ReadScope } from '../../access/read-scope';
import { hubError, isHubError } from '../../domain/errors';
import type { IndicatorKind } from '../../domain/indicators';
import type { LogFormat, LogLineReader, MatchHit, MatchIndex, ObservationKind, ObservedField } from '../../domain/matching';
import type { Principal } from '../../domain/principal';
import type { TlpLevel } from '../../domain/tenancy';
import { nowMicros } from '../../domain/timestamps';
import type { AudienceStore } from '../../storage/change-feed-store';
import type { SensorFeedStore } from '../../storage/sensor-feed-store';
import type { CollectionService } from '../collection-service';
import { collectionNamed } from '../collection-names';
import type { ChangeFeedService } from '../delivery/change-feed/change-feed-service';
import type { PolicyService } from '../policy-service';
import { AudienceIndex, AudienceMoved, type AudienceOf } from './audience-index';
import { MatchIndexCache, type MatchIndexCacheStats } from './match-index-cache';
import type { MatchRequest, MatchValue } from './match-request';

/**
 * POST /api/match (issue 14 §4): values or log lines looked up against the active indicators the
 * caller may read now, for SOAR and SIEM enrichment. Each collection is searched in the index of the
 * caller's audience there (audience-index.ts), shared by every reader of that audience, caught up
 * from the change feed on each request and kept in a cache bounded by indicators (LRU).
 */

export interface MatchFound {
  readonly indicator: string;
  readonly kind: IndicatorKind;
  /** The indicator's value, normalised. */
  readonly value: string;
  readonly collection: string;
  readonly tlp: TlpLevel;
  readonly campaigns: readonly string[];
  /** The provider organization, where attribution lets the caller know it. */
  readonly provider?: string;
  readonly how: MatchHit['how'];
  /** Lines: where in the line the value was, and how the line wrote it. */
  readonly field?: ObservedField;
  readonly observed?: string;
}

export interface Observation {
  readonly kind: ObservationKind;
  readonly field: ObservedField;
  readonly value: string;
}

export type MatchResult =
  | { readonly value: string; readonly matches: readonly MatchFound[] }
  | { readonly line: number; readonly format?: LogFormat; readonly observations: readonly Observation[]; readonly matches: readonly MatchFound[] };

export interface MatchCounters {
  /** Indexes built from the store (a first request of an audience, or after eviction). */
  readonly builds: number;
  readonly cache: MatchIndexCacheStats;
}

export interface MatchService {
  match(who: Principal | undefined, request: MatchRequest): Promise<readonly MatchResult[]>;
  counters(): MatchCounters;
}

export interface MatchServiceDeps {
  readonly policy: Pick<PolicyService, 'current'>;
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly feeds: Pick<SensorFeedStore, 'activeIndicators' | 'indicatorSources' | 'saveDerived' | 'campaignNames'>;
  readonly changeFeed: ChangeFeedService;
  readonly audiences: Pick<AudienceStore, 'remember'>;
  readonly lastPosition: (collectionId: string) => Promise<number>;
  readonly createIndex: () => MatchIndex;
  /** A reader of log lines in a format ('values' reads bare values, detecting their kind). */
  readonly readerFor: (format: LogFormat | 'auto') => LogLineReader;
  /** The cache's bound in indicators held by all indexes together (default 2,000,000). */
  readonly maxIndicators?: number;
  readonly now?: () => number;
}

export const DEFAULT_MATCH_CACHE_INDICATORS = 2_000_000;
/** Tries of one collection whose reader's audience keeps changing under us. */
const AUDIENCE_TRIES = 3;

export function createMatchService(deps: MatchServiceDeps): MatchService {
  const now = deps.now ?? Date.now;
  const cache = new MatchIndexCache<AudienceIndex>(deps.maxIndicators ?? DEFAULT_MATCH_CACHE_INDICATORS);
  const building = new Map<string, Promise<AudienceIndex>>();
  let builds = 0;
  const indexDeps = { feeds: deps.feeds, changeFeed: deps.changeFeed, lastPosition: deps.lastPosition, createIndex: deps.createIndex, now };

  /** The collections a request names (by id or alias, in any API root), or every one the caller may read. */
  function collectionsOf(policy: CompiledPolicy, who: Principal, names: readonly string[] | undefined): CollectionPolicy[] {
    const all = [...policy.collections.values()];
    if (names === undefined) return all.filter((cp) => collectionAccess(policy, who, cp.collection.id)?.canRead === true).sort((a, b) => (a.collection.id < b.collection.id ? -1 : 1));
    const chosen = new Map<string, CollectionPolicy>();
    names.forEach((name, i) => {
      // Worded alike for a collection that does not exist and one the caller cannot see.
      const cp = collectionNamed(policy, name, { who }, `collections[${i}]`);
      chosen.set(cp.collection.id, cp);
    });
    return [...chosen.values()];
  }

  /** The caller's index of one collection, caught up with every change committed before the request. */
  async function indexOf(who: Principal, cp: CollectionPolicy): Promise<AudienceIndex> {
    for (let attempt = 1; ; attempt++) {
      // The read gate of TAXII (403 without the consumer role; an operator's read audited) and the caller's audience now.
      const { scope } = await deps.collections.resolveForAction(who, cp.collection.apiRootId, cp.collection.id, 'read');
      const of = await audienceOf(cp, scope);
      const key = `${of.collectionId}\u0000${of.audienceKey}\u0000${of.attribution}\u0000${of.defaultMarking}`;
      let index = cache.get(key);
      try {
        if (index === undefined) index = await build(who, key, of);
        else {
          await index.catchUp(who);
          cache.touched(key);
        }
        return index;
      } catch (error) {
        if (!(error instanceof AudienceMoved)) throw error;
        if (index !== undefined) cache.drop(key, index);
        if (attempt >= AUDIENCE_TRIES) throw hubError('CONFLICT', 'Your access to a collection changed while it was being searched; send the request again');
      }
    }
  }

  async function audienceOf(cp: CollectionPolicy, scope: ReadScope): Promise<AudienceOf> {
    return { collectionId: cp.collection.id, scope, audienceKey: await deps.audiences.remember(scope), attribution: cp.attribution, defaultMarking: cp.collection.defaultMarking };
  }

  /** One build per key at a time; every request waiting on it then catches up on its own. */
  async function build(who: Principal, key: string, of: AudienceOf): Promise<AudienceIndex> {
    let pending = building.get(key);
    if (pending === undefined) {
      pending = AudienceIndex.build(indexDeps, who, of).finally(() => building.delete(key));
      building.set(key, pending);
      const index = await pending;
      builds += 1;
      cache.set(key, index);
      return index;
    }
    const index = await pending;
    await index.catchUp(who);
    return index;
  }

  /** The reader of a format; one the hub cannot read yet is the request's problem, named by `path`. */
  function readerOf(format: LogFormat | 'auto', path: string): LogLineReader {
    try {
      return deps.readerFor(format);
    } catch {
      throw hubError('VALIDATION_FAILED', { description: `${path}: ${format} logs cannot be read by this hub`, problems: [{ path, message: `${format} logs cannot be read by this hub` }] });
    }
  }

  return {
    async match(who, request) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED', 'Send HTTP Basic credentials or an API key');
      const policy = await deps.policy.current();
      const indexes: AudienceIndex[] = [];
      for (const cp of collectionsOf(policy, who, request.collections)) {
        try {
          indexes.push(await indexOf(who, cp));
        } catch (error) {
          // Without a named list, a collection the caller stopped reading since the policy was read is passed over.
          if (request.collections !== undefined || !isHubError(error) || (error.code !== 'NOT_FOUND' && error.code !== 'FORBIDDEN')) throw error;
        }
      }
      const at = nowMicros(now);
      // One hit handler for the whole request (no closure or set per value: 10,000 values are the common case).
      let found: MatchFound[] = [];
      let lines = false;
      let searched: AudienceIndex | undefined;
      const onHit = (hit: MatchHit) => {
        const { entry } = hit;
        // The same indicator value found twice for one value (or one field of a line) is told once.
        for (const f of found) if (f.indicator === entry.indicatorId && f.collection === entry.collection && f.value === entry.value && (!lines || f.field === hit.field)) return;
        const match: { -readonly [K in keyof MatchFound]: MatchFound[K] } = {
          indicator: entry.indicatorId, kind: entry.kind, value: entry.value, collection: entry.collection, tlp: entry.tlp,
          campaigns: searched?.campaignsOf(entry.indicatorId) ?? [], how: hit.how,
        };
        if (entry.provider !== undefined) match.provider = entry.provider;
        if (lines) {
          match.field = hit.field;
          match.observed = hit.observed;
        }
        found.push(match);
      };
      const observe = (kind: ObservationKind, field: ObservedField, raw: string) => {
        for (const index of indexes) {
          searched = index;
          index.index.lookup(kind, field, raw, at, onHit);
        }
      };
      if ('values' in request) {
        let reader: LogLineReader | undefined; // made on the first bare value
        return request.values.map((item: MatchValue) => {
          found = [];
          if (typeof item !== 'string' && item.kind !== undefined) observe(item.kind, 'value', item.value);
          else (reader ??= readerOf('values', 'values')).read(typeof item === 'string' ? item : item.value, observe);
          return { value: typeof item === 'string' ? item : item.value, matches: found };
        });
      }
      lines = true;
      const reader = readerOf(request.format, 'format');
      return request.lines.map((line, i) => {
        found = [];
        const observations: Observation[] = [];
        const format = reader.read(line, (kind, field, raw) => {
          observations.push({ kind, field, value: raw });
          observe(kind, field, raw);
        });
        return { line: i + 1, ...(format !== undefined ? { format } : {}), observations, matches: found };
      });
    },
    counters: () => ({ builds, cache: cache.stats() }),
  };
}

import type { TlpLevel } from '../../domain/tenancy';
import { HUB_API_PREFIX } from '../../http/route-table';
import { requestHub } from '../admin/hub-request';
import type { FoundHit } from './scan-input';

/**
 * `--report`: the hits of a scan, counted per (collection, indicator), sent to the hub's
 * POST /api/collections/{collection}/sightings. Only indicator ids, counts and times leave the machine:
 * never a log line, a value as logged, a file name or a host name. The hub writes the STIX 2.1
 * sightings itself, because where_sighted_refs depends on the collection's attribution setting, which
 * only the hub applies.
 */

/** What is reported for one indicator: in how many log lines it was found, and the first and last of their times. */
export interface SightingCount {
  readonly indicator: string;
  count: number;
  firstMs: number;
  lastMs: number;
}

export interface SightingTally {
  add(found: FoundHit): void;
  /** The counts per collection id, indicators in the order first found. */
  byCollection(): ReadonlyMap<string, readonly SightingCount[]>;
}

export function createSightingTally(): SightingTally {
  const collections = new Map<string, Map<string, SightingCount & { lastLine: string }>>();
  return {
    add(found) {
      const { collection, indicatorId } = found.hit.entry;
      let counts = collections.get(collection);
      if (counts === undefined) collections.set(collection, (counts = new Map()));
      const where = `${found.input}\u0000${found.line}`;
      const known = counts.get(indicatorId);
      if (known === undefined) {
        counts.set(indicatorId, { indicator: indicatorId, count: 1, firstMs: found.timeMs, lastMs: found.timeMs, lastLine: where });
        return;
      }
      // A line where an indicator hits twice (two fields) is one sighting of it.
      if (known.lastLine !== where) known.count += 1;
      known.lastLine = where;
      if (found.timeMs < known.firstMs) known.firstMs = found.timeMs;
      if (found.timeMs > known.lastMs) known.lastMs = found.timeMs;
    },
    byCollection() {
      return new Map([...collections].map(([collection, counts]) => [collection, [...counts.values()].map(({ indicator, count, firstMs, lastMs }) => ({ indicator, count, firstMs, lastMs }))]));
    },
  };
}

/** The request body for one collection (a batch of its counts). */
export function sightingsBody(counts: readonly SightingCount[], marking: TlpLevel) {
  return {
    sightings: counts.map((c) => ({ indicator: c.indicator, count: c.count, first_seen: new Date(c.firstMs).toISOString(), last_seen: new Date(c.lastMs).toISOString() })),
    marking,
  };
}

/** Sightings per request: a scan with hits on many indicators sends several. */
export const SIGHTINGS_PER_REQUEST = 500;

export interface ReportOutcome {
  readonly collection: string;
  readonly reported: number;
  /** The hub's refusal or the transport's failure, when the collection's counts were not (all) reported. */
  readonly error?: string;
}

/** Posts every collection's counts; a collection that fails does not stop the others. */
export async function reportSightings(remote: { url: string; authorization: string }, tally: SightingTally, marking: TlpLevel): Promise<ReportOutcome[]> {
  const base = remote.url.replace(/\/+$/, '');
  const outcomes: ReportOutcome[] = [];
  for (const [collection, counts] of tally.byCollection()) {
    let reported = 0;
    let error: string | undefined;
    for (let at = 0; at < counts.length && error === undefined; at += SIGHTINGS_PER_REQUEST) {
      const batch = counts.slice(at, at + SIGHTINGS_PER_REQUEST);
      try {
        const answer = await requestHub(remote.url, `${base}${HUB_API_PREFIX}/collections/${encodeURIComponent(collection)}/sightings`, remote.authorization, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(sightingsBody(batch, marking)),
        });
        if (answer.ok) reported += batch.length;
        else error = `${answer.status}: ${answer.error.message}`;
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
      }
    }
    outcomes.push({ collection, reported, ...(error !== undefined ? { error } : {}) });
  }
  return outcomes;
}

import type { FieldProblem } from '../../domain/errors';
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
  /** How many sightings the hub recorded. */
  readonly reported: number;
  /** The markings the hub gave them (it narrows one wider than the indicator's own readers). */
  readonly markings: readonly TlpLevel[];
  /** Indicators the hub would not take a report on (revoked or no longer readable since the sync), with its reason. */
  readonly refused: readonly { readonly indicator: string; readonly reason: string }[];
  /** The hub's refusal or the transport's failure, when the collection's counts were not reported. */
  readonly error?: string;
}

type Remote = { readonly url: string; readonly authorization: string };

/**
 * Posts every collection's counts; a collection that fails does not stop the others. The hub takes a
 * request whole or not at all: when it names items it will not take (`sightings[3].indicator`), those
 * are left out and the rest is sent again, once.
 */
export async function reportSightings(remote: Remote, tally: SightingTally, marking: TlpLevel): Promise<ReportOutcome[]> {
  const outcomes: ReportOutcome[] = [];
  for (const [collection, counts] of tally.byCollection()) {
    let reported = 0;
    const markings = new Set<TlpLevel>();
    const refused: { indicator: string; reason: string }[] = [];
    let error: string | undefined;
    for (let at = 0; at < counts.length && error === undefined; at += SIGHTINGS_PER_REQUEST) {
      let batch = counts.slice(at, at + SIGHTINGS_PER_REQUEST);
      for (let attempt = 0; batch.length > 0; attempt += 1) {
        const answer = await post(remote, collection, sightingsBody(batch, marking)).catch((failure: unknown) => (failure instanceof Error ? failure : new Error(String(failure))));
        if (answer instanceof Error) {
          error = answer.message;
          break;
        }
        if (answer.ok) {
          const written = (answer.body as { sightings?: { marking?: TlpLevel }[] } | undefined)?.sightings ?? [];
          reported += written.length;
          for (const item of written) if (item.marking !== undefined) markings.add(item.marking);
          break;
        }
        const items = refusedItems(answer.error.problems, batch.length);
        if (answer.status !== 400 || attempt > 0 || items.size === 0 || items.size === batch.length) {
          error = `${answer.status}: ${answer.error.message}`;
          break;
        }
        for (const [index, reason] of items) refused.push({ indicator: batch[index]?.indicator ?? '', reason });
        batch = batch.filter((_, index) => !items.has(index));
      }
    }
    outcomes.push({ collection, reported, markings: [...markings], refused, ...(error !== undefined ? { error } : {}) });
  }
  return outcomes;
}

function post(remote: Remote, collection: string, body: unknown) {
  const base = remote.url.replace(/\/+$/, '');
  return requestHub({ url: remote.url, authorization: remote.authorization, label: remote.url }, `${base}${HUB_API_PREFIX}/collections/${encodeURIComponent(collection)}/sightings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The items of a batch a refusal names (`sightings[3].indicator: …`), with the reason. */
function refusedItems(problems: readonly FieldProblem[], size: number): Map<number, string> {
  const items = new Map<number, string>();
  for (const { path, message } of problems) {
    const index = Number(/^sightings\[(\d+)\]/.exec(path)?.[1] ?? Number.NaN);
    if (Number.isInteger(index) && index < size) items.set(index, message);
  }
  return items;
}

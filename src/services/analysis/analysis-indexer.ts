import { analysisKeysOfAll } from '../../domain/analysis/analysis-keys';
import { isIndicatorKind } from '../../domain/indicators/indicator-kinds';
import type { IndicatorKind } from '../../domain/indicators';
import type { AnalysisKeyStore, IndexableVersion, IndexedVersion } from '../../storage/analysis-key-store';
import type { SensorFeedStore } from '../../storage/sensor-feed-store';
import { deriveMissing, FEED_ENTRY_DERIVATION } from '../feeds/feed-derivation';

/**
 * The analysis indexer (issue 15): gives every stored indicator version its analysis keys
 * (domain/analysis/analysis-keys.ts) after its write commits, collection by collection in
 * date_added order, from the version's feed entries (worked out and saved here when no feed or
 * match index did it before, so nobody parses the pattern twice).
 *
 * Most versions get their keys as they are written (storage/sql/inline-analysis-keys.ts, in the
 * write's transaction), which also moves the collection's watermark; what the write path leaves (a
 * head restored by a TAXII DELETE, versions stored before, bulk loads) the indexer keys: a write
 * notifies it (wake), and the server runs a pass every few seconds. Readers that must see every
 * committed write (the pivot, campaign candidates) call catchUp(), which returns once a pass that
 * started after the call has finished (a quick one when the writes keyed themselves).
 *
 * Listeners (early warning, issue 15 §3) hear every keyed version, however it was keyed, collection
 * by collection in date_added order up to the watermark, from a mark of their own stored beside it
 * (migration 023): on a chain of their own that a pass and catchUp never wait for, after each pass.
 * A batch a listener failed on is heard again on the next round (up to MAX_ATTEMPTS times).
 */

export interface IndexedBatch {
  readonly collectionId: string;
  readonly versions: readonly IndexedVersion[];
}

export type IndexedListener = (batch: IndexedBatch) => Promise<void> | void;

export interface AnalysisIndexer {
  /** Resolves once every version committed before the call has its keys (listeners may still be hearing them). */
  catchUp(): Promise<void>;
  /** Resolves once the listeners have heard every version keyed so far (a round that started after the call). */
  heard(): Promise<void>;
  /** Asks for a pass soon (a write committed). */
  wake(): void;
  /** Runs a pass every `intervalMs` (and on wake) until stopped. */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
  /** Hears every batch once its keys are stored; returns the unsubscribe function. */
  onIndexed(listener: IndexedListener): () => void;
}

export interface AnalysisIndexerDeps {
  readonly keys: AnalysisKeyStore;
  readonly feeds: Pick<SensorFeedStore, 'indicatorSources' | 'saveDerived'>;
  readonly onError?: (error: unknown) => void;
  /** A listener failed on a batch (`final`: it will not be heard again); onError when not given. */
  readonly onListenerError?: (error: unknown, batch: IndexedBatch, final: boolean) => void;
  /** Versions read per batch (default 2,000). */
  readonly batchSize?: number;
}

const DEFAULT_INTERVAL_MS = 2_000;

export function createAnalysisIndexer(deps: AnalysisIndexerDeps): AnalysisIndexer {
  const batchSize = deps.batchSize ?? 2_000;
  const listeners = new Set<IndexedListener>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;

  async function keyed(versions: readonly IndexableVersion[], collectionId: string): Promise<(IndexedVersion & { id: string })[]> {
    const worked = await deriveMissing(deps.feeds, collectionId, versions);
    return versions.map((v) => {
      const values = (v.derived ?? worked.get(v.dateAdded))?.values ?? [];
      const kinds = values.filter((e): e is { kind: IndicatorKind; value: string } => isIndicatorKind(e.kind));
      return { dateAdded: v.dateAdded, id: v.id, keys: analysisKeysOfAll(kinds) };
    });
  }

  async function indexCollection(collectionId: string, from: number, through: number): Promise<void> {
    // Heads that a removal in this range made heads again (their keys went when they were superseded).
    const restored = await deps.keys.restoredHeads(collectionId, from, through, FEED_ENTRY_DERIVATION);
    if (restored.length > 0) await deps.keys.record(collectionId, await keyed(restored, collectionId), from);
    let after = from;
    while (after < through) {
      const versions = await deps.keys.versions(collectionId, after, through, FEED_ENTRY_DERIVATION, batchSize);
      const indexed = await keyed(versions, collectionId);
      const last = versions.length < batchSize ? through : (versions[versions.length - 1]?.dateAdded ?? through);
      await deps.keys.record(collectionId, indexed, last);
      after = last;
    }
  }

  async function pass(): Promise<void> {
    for (const backlog of await deps.keys.backlog()) await indexCollection(backlog.collectionId, backlog.indexedThrough, backlog.lastDateAdded);
  }

  /** Failed attempts at the batch after `<collection> <mark>`. */
  const failures = new Map<string, number>();

  /** Tells the listeners one batch; false when one failed and the batch is to be heard again. */
  async function tell(batch: IndexedBatch, after: number): Promise<boolean> {
    const place = `${batch.collectionId} ${after}`;
    const attempts = (failures.get(place) ?? 0) + 1;
    const final = attempts >= MAX_ATTEMPTS;
    let failed = false;
    for (const listener of [...listeners]) {
      try {
        await listener(batch);
      } catch (error) {
        failed = true;
        if (deps.onListenerError !== undefined) deps.onListenerError(error, batch, final);
        else deps.onError?.(error);
      }
    }
    if (failed && !final) {
      failures.set(place, attempts);
      return false;
    }
    failures.delete(place);
    return true;
  }

  async function announceAll(): Promise<void> {
    if (listeners.size === 0) return;
    for (const backlog of await deps.keys.announcementBacklog()) {
      let after = backlog.announcedThrough;
      while (after < backlog.indexedThrough) {
        const versions = await deps.keys.keyedVersions(backlog.collectionId, after, backlog.indexedThrough, batchSize);
        const last = versions.length < batchSize ? backlog.indexedThrough : (versions[versions.length - 1]?.dateAdded ?? backlog.indexedThrough);
        const withKeys = versions.filter((v) => v.keys.length > 0);
        if (withKeys.length > 0 && !(await tell({ collectionId: backlog.collectionId, versions: withKeys }, after))) break;
        await deps.keys.announced(backlog.collectionId, last);
        after = last;
      }
    }
  }

  const passes = serialRuns(pass);
  const announcements = serialRuns(announceAll);

  function background(): void {
    passes
      .next()
      .catch((error: unknown) => deps.onError?.(error))
      .then(() => announcements.next())
      .catch((error: unknown) => deps.onError?.(error));
  }

  return {
    catchUp: () => passes.next(),
    heard: () => announcements.next(),
    wake() {
      if (!stopped) background();
    },
    start(intervalMs = DEFAULT_INTERVAL_MS) {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(background, intervalMs);
      timer.unref();
      background();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await passes.idle();
      await announcements.idle();
    },
    onIndexed(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** How often a batch is heard again after a listener failed on it before it is passed over. */
export const MAX_ATTEMPTS = 3;

/**
 * Runs `run` one at a time: next() resolves once a run that started after the call has finished
 * (the running one, started before, is followed by one more, shared by every caller meanwhile).
 */
function serialRuns(run: () => Promise<void>): { next(): Promise<void>; idle(): Promise<void> } {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  function next(): Promise<void> {
    if (running === undefined) {
      running = run().finally(() => {
        running = undefined;
      });
      return running;
    }
    if (queued === undefined) {
      queued = running
        .catch(() => {})
        .then(() => {
          queued = undefined;
          return next();
        });
    }
    return queued;
  }
  return {
    next,
    async idle() {
      await Promise.allSettled([running, queued]);
    },
  };
}

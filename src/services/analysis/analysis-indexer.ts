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
 * Ingest never waits for it: a write notifies it (wake), and the server runs a pass every few
 * seconds for what other hub processes wrote. Readers that must see every committed write (the
 * pivot, campaign candidates) call catchUp(), which returns once a pass that started after the
 * call has finished. Listeners hear each batch indexed (early warning, issue 15 §3).
 */

export interface IndexedBatch {
  readonly collectionId: string;
  readonly versions: readonly IndexedVersion[];
}

export type IndexedListener = (batch: IndexedBatch) => Promise<void> | void;

export interface AnalysisIndexer {
  /** Resolves once every version committed before the call has its keys (listeners may still be hearing them). */
  catchUp(): Promise<void>;
  /** Resolves once the listeners have heard every batch indexed so far. */
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
  /** Versions read per batch (default 2,000). */
  readonly batchSize?: number;
}

const DEFAULT_INTERVAL_MS = 2_000;

export function createAnalysisIndexer(deps: AnalysisIndexerDeps): AnalysisIndexer {
  const batchSize = deps.batchSize ?? 2_000;
  const listeners = new Set<IndexedListener>();
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
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

  /**
   * Listeners hear batches in order, one at a time, after the keys are stored, on a chain of their
   * own: a pass (and so catchUp, which readers wait on) never waits for them.
   */
  let told: Promise<void> = Promise.resolve();
  function tell(collectionId: string, indexed: readonly IndexedVersion[]): void {
    const batch = { collectionId, versions: indexed.filter((v) => v.keys.length > 0).map((v) => ({ dateAdded: v.dateAdded, keys: v.keys })) };
    if (batch.versions.length === 0 || listeners.size === 0) return;
    const hearing = [...listeners];
    told = told.then(async () => {
      for (const listener of hearing) {
        try {
          await listener(batch);
        } catch (error) {
          deps.onError?.(error);
        }
      }
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
      tell(collectionId, indexed);
    }
  }

  async function pass(): Promise<void> {
    for (const backlog of await deps.keys.backlog()) await indexCollection(backlog.collectionId, backlog.indexedThrough, backlog.lastDateAdded);
  }

  /** A pass that starts after this call: the running one (started before) is followed by one more, shared by every caller meanwhile. */
  function nextPass(): Promise<void> {
    if (running === undefined) {
      running = pass().finally(() => {
        running = undefined;
      });
      return running;
    }
    if (queued === undefined) {
      queued = running.catch(() => {}).then(() => {
        queued = undefined;
        return nextPass();
      });
    }
    return queued;
  }

  function background(): void {
    nextPass().catch((error: unknown) => deps.onError?.(error));
  }

  return {
    catchUp: nextPass,
    heard: () => told,
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
      await Promise.allSettled([running, queued]);
      await told;
    },
    onIndexed(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

import type { ChangeFeedStore } from '../../../storage/change-feed-store';

/**
 * Runs the change feed's expiry pass (emitExpirations) every `intervalMs` (30 s by default), so an
 * indicator whose valid_until passed is announced as `expired` within that interval, and tells
 * `onEvents` about every collection that received events. One pass at a time; with several hub
 * processes each runs its own, and the store announces each head version once whichever wins.
 */

export const DEFAULT_EXPIRY_INTERVAL_MS = 30_000;

export interface ExpirySchedulerDeps {
  readonly store: Pick<ChangeFeedStore, 'emitExpirations'>;
  /** A collection received expired events (after they committed). */
  readonly onEvents: (collectionId: string) => void;
  readonly onError: (error: unknown) => void;
  readonly intervalMs?: number;
  /** Wall clock in microseconds (tests inject one). */
  readonly nowMicros?: () => number;
}

export interface ExpiryScheduler {
  /** Runs a first pass at once, then every interval. */
  start(): void;
  /** Stops scheduling and waits for a running pass. */
  stop(): Promise<void>;
  /** Runs a pass now (after the running one, if any); resolves with how many events it emitted. */
  runNow(): Promise<number>;
}

export function createExpiryScheduler(deps: ExpirySchedulerDeps): ExpiryScheduler {
  const intervalMs = deps.intervalMs ?? DEFAULT_EXPIRY_INTERVAL_MS;
  const nowMicros = deps.nowMicros ?? (() => Date.now() * 1000);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> = Promise.resolve(0);

  function pass(): Promise<number> {
    running = running.then(async () => {
      try {
        const { emitted } = await deps.store.emitExpirations(nowMicros());
        let total = 0;
        for (const [collectionId, count] of emitted) {
          total += count;
          deps.onEvents(collectionId);
        }
        return total;
      } catch (error) {
        deps.onError(error);
        return 0;
      }
    });
    return running;
  }

  function schedule(): void {
    timer = setTimeout(() => {
      void pass().finally(() => {
        if (timer !== undefined) schedule();
      });
    }, intervalMs);
    timer.unref();
  }

  return {
    start() {
      if (timer !== undefined) return;
      void pass();
      schedule();
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
    runNow: pass,
  };
}

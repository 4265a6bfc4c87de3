/**
 * What the loopback receivers (TAXII 1.1 inbox, webhook receiver) share: tests wait on a condition
 * over what a receiver got, checked each time it gets something, never by sleeping.
 */
export interface ReceiverWatchers {
  /** Checks every waiting condition again (a receiver calls it after recording a request). */
  notify(): void;
  /** Resolves once `condition` holds, or rejects after `timeoutMs` naming `what` and, from `received()`, what the receiver got. */
  until(condition: () => boolean, timeoutMs: number, what: string, received: () => string): Promise<void>;
}

export function receiverWatchers(): ReceiverWatchers {
  const watchers = new Set<() => void>();
  return {
    notify: () => watchers.forEach((w) => w()),
    until(condition, timeoutMs, what, received) {
      if (condition()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received ${received()}`));
        }, timeoutMs);
        function check() {
          if (!condition()) return;
          clearTimeout(timer);
          watchers.delete(check);
          resolve();
        }
        watchers.add(check);
      });
    },
  };
}

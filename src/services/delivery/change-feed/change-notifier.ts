/**
 * "Collection X got events", in process: the object store's onWrite (every committed write, TAXII
 * DELETE and purge) and the expiry scheduler notify; the delivery engine, streams and feed caches
 * subscribe. Listeners run synchronously in subscription order; one that throws is reported to
 * `onListenerError` and does not keep the others from hearing. Other hub processes learn of changes
 * by their own means (the engine's scan, a stream's poll).
 */

export type ChangeListener = (collectionId: string) => void;

export interface ChangeNotifier {
  /** Adds a listener; the function returned removes it (idempotent). */
  subscribe(listener: ChangeListener): () => void;
  notify(collectionId: string): void;
}

export function createChangeNotifier(onListenerError: (error: unknown) => void = () => {}): ChangeNotifier {
  const listeners = new Set<ChangeListener>();
  return {
    subscribe(listener) {
      // A wrapper per subscription: the same function subscribed twice is two subscriptions.
      const entry: ChangeListener = (collectionId) => listener(collectionId);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    notify(collectionId) {
      for (const listener of [...listeners]) {
        try {
          listener(collectionId);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
  };
}

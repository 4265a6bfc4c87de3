/**
 * Users and organizations as the engine reads them, kept for a moment: a burst of deliveries (one
 * write fanned out to a hundred subscriptions) asks about the same few users and organizations, and
 * one query each per `ttlMs` is enough. A change reaches deliveries within ttlMs, as a policy change
 * reaches another process within the policy's recheck interval.
 */
export interface CachedLookup<T> {
  get(id: string): Promise<T | undefined>;
}

export function cachedLookup<T>(load: (id: string) => Promise<T | undefined>, ttlMs: number, now: () => number = () => performance.now()): CachedLookup<T> {
  const entries = new Map<string, { readonly at: number; readonly value: Promise<T | undefined> }>();
  return {
    get(id) {
      const at = now();
      const entry = entries.get(id);
      if (entry && at - entry.at < ttlMs) return entry.value;
      if (entries.size > 10_000) entries.clear(); // bounded: ids come from stored subscriptions only
      const value = load(id);
      entries.set(id, { at, value });
      // A failed load is not kept.
      value.catch(() => entries.delete(id));
      return value;
    },
  };
}

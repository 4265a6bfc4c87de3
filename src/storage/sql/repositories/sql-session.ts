import type { Database, Queryable } from '../database';

/**
 * What a repository runs its SQL on: the top-level database or one open transaction. `atomically`
 * groups several statements (a trust group and its member rows): at top level it opens a
 * transaction; inside one it just runs, since the enclosing transaction already makes them atomic.
 */
export interface SqlSession {
  readonly q: Queryable;
  atomically<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
}

export function topLevelSession(db: Database): SqlSession {
  return { q: db, atomically: (fn) => db.transaction(fn) };
}

export function transactionSession(tx: Queryable): SqlSession {
  return { q: tx, atomically: (fn) => fn(tx) };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** uuid-keyed lookups answer "not found" for a malformed id instead of a PostgreSQL cast error. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

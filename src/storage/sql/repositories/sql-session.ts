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

/** uuid-keyed lookups answer "not found" for a malformed id instead of a PostgreSQL cast error. */
export { isUuid } from '../../../domain/ids';

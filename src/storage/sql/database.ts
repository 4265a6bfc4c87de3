import { Pool, type PoolClient, type QueryResultRow } from 'pg';

/**
 * The one SQL code base runs over a pg.Pool. Two engines provide that pool:
 * - a PostgreSQL server (production, scale-out), selected by DATABASE_URL;
 * - PGlite (embedded default), through PGlite's node-postgres adapter, which exposes the single
 *   in-process connection as a pool of size 1. The pool's own queue serialises access to it.
 * Nothing above this file knows which engine runs.
 */

export type EngineName = 'pglite' | 'postgres';

export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface Database extends Queryable {
  readonly engine: EngineName;
  /** Runs `fn` in one transaction on one connection; commits on success, rolls back on any throw. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class PoolDatabase implements Database {
  constructor(
    readonly engine: EngineName,
    private readonly pool: Pool,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async query<R extends QueryResultRow = QueryResultRow>(text: string, params: readonly unknown[] = []) {
    // Not pool.query(): it discards the connection after any failed statement, and PGlite's adapter
    // shares one connection object between clients, so the discarded client's late 'end' event
    // kills the next one. A failed statement leaves a healthy connection; the pool still drops a
    // client whose connection really broke (it is no longer queryable).
    const client = await this.pool.connect();
    try {
      const result = await client.query<R>(text, params as unknown[]);
      return { rows: result.rows, rowCount: result.rowCount };
    } finally {
      client.release();
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await fn(clientQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError; // the connection is unusable: do not return it to the pool
      }
      throw error;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.onClose();
  }
}

function clientQueryable(client: PoolClient): Queryable {
  return {
    async query<R extends QueryResultRow = QueryResultRow>(text: string, params: readonly unknown[] = []) {
      const result = await client.query<R>(text, params as unknown[]);
      return { rows: result.rows, rowCount: result.rowCount };
    },
  };
}

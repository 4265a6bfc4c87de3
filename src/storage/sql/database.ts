import { createHash } from 'node:crypto';
import { Pool, type PoolClient, type QueryConfig, type QueryResultRow } from 'pg';

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
      const result = await client.query<R>(statement(text, params));
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
      const result = await client.query<R>(statement(text, params));
      return { rows: result.rows, rowCount: result.rowCount };
    },
  };
}

const statementNames = new Map<string, string>();

/**
 * A statement with parameters runs as a named prepared statement, named after its text: each
 * connection parses and plans a text once and reuses the plan (PostgreSQL switches to a generic
 * plan once it costs no more than the custom ones). The texts are the code's own, so their number
 * is bounded. A statement without parameters (migrations, several statements in one text) runs as is.
 */
function statement(text: string, params: readonly unknown[]): QueryConfig {
  if (params.length === 0) return { text, values: params as unknown[] };
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `s${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (statementNames.size < 10_000) statementNames.set(text, name);
  }
  return { name, text, values: params as unknown[] };
}

import { Pool } from 'pg';
import { PoolDatabase, type Database } from './database';

export interface PostgresOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  /** How long a new connection may take before the attempt fails. */
  readonly connectTimeoutMs?: number;
}

/** Opens a pool to a PostgreSQL server and checks it answers. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    // No JIT compilation in the hub's sessions: its queries are short and index-driven, and PostgreSQL
    // decides on JIT from row estimates, not from the rows a query meets. At 1,000,000 indicators the
    // campaign graph's catch-up (an index range that finds nothing) was estimated at 933,000 rows and
    // spent 450 ms compiling for a 0.03 ms execution. A connection string's own `options` wins.
    options: '-c jit=off',
  });
  // An idle client losing its server emits 'error' on the pool; without a listener that would
  // crash the process. The next query fails cleanly and the pool reconnects when the server returns.
  pool.on('error', () => {});
  const db = new PoolDatabase('postgres', pool);
  try {
    await db.ping();
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return db;
}

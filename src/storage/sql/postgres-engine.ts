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

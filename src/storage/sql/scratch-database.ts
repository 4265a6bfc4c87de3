import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A new, empty database on a PostgreSQL server, for tests and benchmarks: created next to the one
 * `serverUrl` names (whose user may create databases), and dropped, connections and all, by `drop`.
 */
export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export interface ScratchDatabaseOptions {
  /**
   * A database on the same server to copy (CREATE DATABASE ... TEMPLATE): the new database starts
   * with its schema and rows instead of empty. Nobody may be connected to the template meanwhile.
   */
  readonly template?: string;
}

export async function createScratchDatabase(serverUrl: string, prefix: string, options: ScratchDatabaseOptions = {}): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const template = options.template === undefined ? '' : ` TEMPLATE ${quoteIdentifier(options.template)}`;
  await serverQuery(serverUrl, `CREATE DATABASE ${name}${template}`);
  return { url: databaseUrl(serverUrl, name), drop: () => serverQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The URL of another database on the server `serverUrl` names. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function serverQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

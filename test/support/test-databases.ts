import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Database, EngineName } from '../../src/storage/sql/database';
import { migrate } from '../../src/storage/sql/migrate';
import { openPglite } from '../../src/storage/sql/pglite-engine';
import { openPostgres } from '../../src/storage/sql/postgres-engine';

/**
 * The engines a contract suite runs against: PGlite always; PostgreSQL whenever TEST_DATABASE_URL is
 * set (.ci/run always sets it). Use as `describe.each(testEngines())('... on %s', (engine) => ...)`.
 */
export function testEngines(): EngineName[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A fresh, migrated, empty database on the given engine. For PostgreSQL a new database is created on
 * the server named by TEST_DATABASE_URL and dropped again when the returned database is closed.
 */
export async function openTestDatabase(engine: EngineName): Promise<Database> {
  if (engine === 'pglite') {
    const db = await openPglite();
    await migrate(db);
    return db;
  }
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres({ connectionString: url.toString(), maxConnections: 12 });
  await migrate(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await close();
      await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
}

/** A URL for a fresh, empty PostgreSQL database (not migrated) and a function that drops it. */
export async function createPostgresTestDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

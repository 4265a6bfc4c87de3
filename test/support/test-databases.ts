import type { Database, EngineName } from '../../src/storage/sql/database';
import { migrate } from '../../src/storage/sql/migrate';
import { openPglite } from '../../src/storage/sql/pglite-engine';
import { openPostgres } from '../../src/storage/sql/postgres-engine';
import { createScratchDatabase, type ScratchDatabase } from '../../src/storage/sql/scratch-database';

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
  const scratch = await createPostgresTestDatabaseUrl();
  const db = await openPostgres({ connectionString: scratch.url, maxConnections: 12 });
  await migrate(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await close();
      await scratch.drop();
    },
  });
}

/** A URL for a fresh, empty PostgreSQL database (not migrated) and a function that drops it. */
export async function createPostgresTestDatabaseUrl(): Promise<ScratchDatabase> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  return createScratchDatabase(baseUrl, 'hub_test');
}

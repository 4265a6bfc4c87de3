import type { Database } from './database';
import { migrate } from './migrate';
import { openPglite } from './pglite-engine';
import { openPostgres } from './postgres-engine';

export type DatabaseSettings =
  | { readonly engine: 'postgres'; readonly url: string }
  | { readonly engine: 'pglite'; readonly dataDir?: string };

/** Opens the configured engine and brings its schema up to date. */
export async function openDatabase(settings: DatabaseSettings): Promise<Database> {
  const db = settings.engine === 'postgres' ? await openPostgres({ connectionString: settings.url }) : await openPglite({ dataDir: settings.dataDir });
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}

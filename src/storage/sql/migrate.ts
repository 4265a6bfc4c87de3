import type { Database } from './database';
import { MIGRATIONS, type Migration } from './migrations';

/** An arbitrary constant shared by every hub process: serialises concurrent migrators. */
const MIGRATION_LOCK_KEY = 727_274_811;

export interface MigrationReport {
  readonly applied: readonly number[];
  readonly current: number;
}

/**
 * Applies the migrations not yet recorded in schema_migrations, each in its own transaction together
 * with its record, so a failed migration leaves nothing behind. Idempotent; safe when several hub
 * processes start at once against one server (an advisory lock serialises them).
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  // Under the lock too: two concurrent CREATE TABLE IF NOT EXISTS can both try to create the table.
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (seen.rows.length > 0) return false;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  const current = migrations.length > 0 ? Math.max(...migrations.map((m) => m.version)) : 0;
  return { applied, current };
}

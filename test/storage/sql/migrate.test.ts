import { migrate } from '../../../src/storage/sql/migrate';
import { MIGRATIONS } from '../../../src/storage/sql/migrations';
import { openPostgres } from '../../../src/storage/sql/postgres-engine';
import { createPostgresTestDatabaseUrl, openTestDatabase, testEngines } from '../../support/test-databases';

const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

describe.each(testEngines())('migrations on %s', (engine) => {
  test('migrating an up-to-date database applies nothing and records each migration once', async () => {
    const db = await openTestDatabase(engine); // already migrated once
    try {
      expect(await migrate(db)).toEqual({ applied: [], current: LATEST });
      const { rows } = await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    } finally {
      await db.close();
    }
  });
});

// Several hub processes may start at once against one fresh server database.
if (testEngines().includes('postgres')) {
  describe('migrations on a PostgreSQL server', () => {
    test('two concurrent migrators on a fresh database both succeed and apply each migration once', async () => {
      const { url, drop } = await createPostgresTestDatabaseUrl();
      const [a, b] = await Promise.all([openPostgres({ connectionString: url }), openPostgres({ connectionString: url })]);
      try {
        const reports = await Promise.all([migrate(a), migrate(b)]);
        expect(reports.flatMap((r) => r.applied).sort((x, y) => x - y)).toEqual(MIGRATIONS.map((m) => m.version));
        expect(reports.map((r) => r.current)).toEqual([LATEST, LATEST]);
        const { rows } = await a.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await Promise.all([a.close(), b.close()]);
        await drop();
      }
    });
  });
}

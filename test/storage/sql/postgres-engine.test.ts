import type { Database } from '../../../src/storage/sql/database';
import { openPostgres } from '../../../src/storage/sql/postgres-engine';
import { createPostgresTestDatabaseUrl, openTestDatabase, testEngines } from '../../support/test-databases';

/**
 * The hub's sessions compile no query with JIT: its queries are short and index-driven, and a JIT
 * decision taken on a large row estimate cost 450 ms for a query that ran in 0.03 ms (the campaign
 * graph's catch-up at 1,000,000 indicators). On PostgreSQL an operator who wants JIT names it in
 * the connection string.
 */

/** Whether a query costed far above every JIT threshold was JIT-compiled. */
async function jitCompiled(db: Database): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL jit_above_cost = 0');
    const { rows } = await tx.query<{ 'QUERY PLAN': unknown }>('EXPLAIN (ANALYZE, FORMAT JSON) SELECT sum(g) FROM generate_series(1, 1000) g');
    return JSON.stringify(rows[0]?.['QUERY PLAN']).includes('"JIT"');
  });
}

describe.each(testEngines())('the hub\'s sessions on %s', (engine) => {
  it('compile no query with JIT', async () => {
    const db = await openTestDatabase(engine);
    try {
      expect(await jitCompiled(db)).toBe(false);
    } finally {
      await db.close();
    }
  });

  if (engine === 'postgres') {
    it('use JIT where the connection string asks for it', async () => {
      const scratch = await createPostgresTestDatabaseUrl();
      const asked = await openPostgres({ connectionString: `${scratch.url}${scratch.url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c jit=on')}`, maxConnections: 1 });
      try {
        expect((await asked.query<{ jit: string }>('SHOW jit')).rows[0]?.jit).toBe('on');
        expect(await jitCompiled(asked)).toBe(true);
      } finally {
        await asked.close();
        await scratch.drop();
      }
    });
  }
});

import { SqlHubSecretRepository } from '../../../src/storage/sql/repositories/hub-secret-repository';
import type { Database } from '../../../src/storage/sql/database';
import { openTestDatabase, testEngines } from '../../support/test-databases';

describe.each(testEngines())('hub secrets on %s', (engine) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(engine);
  });
  afterAll(() => db.close());

  test('the first caller creates a secret; later callers, in any process, get the same one', async () => {
    const first = await new SqlHubSecretRepository(db).getOrCreate('a', () => 'one');
    const later = await new SqlHubSecretRepository(db).getOrCreate('a', () => 'two');
    expect([first, later]).toEqual(['one', 'one']);
  });

  test('callers racing to create a secret all end up with the one that was stored', async () => {
    const values = await Promise.all(Array.from({ length: 6 }, (_, n) => new SqlHubSecretRepository(db).getOrCreate('raced', () => `value-${n}`)));
    expect(new Set(values).size).toBe(1);
  });
});

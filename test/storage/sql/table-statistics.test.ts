import type { Queryable } from '../../../src/storage/sql/database';
import { TableStatistics } from '../../../src/storage/sql/table-statistics';

/** A Queryable that records the ANALYZE statements and answers reltuples with `rows`. */
function fakeDatabase(rows: number): { db: Queryable; analyzes: string[] } {
  const analyzes: string[] = [];
  const db: Queryable = {
    query: async <R>(text: string) => {
      if (text.startsWith('ANALYZE')) analyzes.push(text);
      return { rows: [{ reltuples: rows }] as R[], rowCount: 1 };
    },
  };
  return { db, analyzes };
}

describe('TableStatistics', () => {
  test('analyzes the table alone by default', async () => {
    const fake = fakeDatabase(1000);
    const statistics = new TableStatistics(fake.db, 'stix_objects');
    statistics.rowsAdded(1000);
    await statistics.settled();
    expect(fake.analyzes).toEqual(['ANALYZE stix_objects']);
  });

  test('analyzes the other tables in the same statement', async () => {
    const fake = fakeDatabase(10);
    const statistics = new TableStatistics(fake.db, 'stix_objects', undefined, 10, ['object_references']);
    statistics.rowsAdded(10);
    await statistics.settled();
    expect(fake.analyzes).toEqual(['ANALYZE stix_objects, object_references']);
  });
});

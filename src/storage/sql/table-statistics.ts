import type { Queryable } from './database';

/**
 * Keeps the planner's statistics of a growing table fresh. The object queries rely on good row
 * estimates to walk the (collection_id, date_added) key with a LIMIT instead of sorting a whole
 * collection, and without statistics PostgreSQL guesses badly (measured: 100 ms instead of 0.8 ms
 * for one page over 20,000 rows). PGlite runs no autovacuum, so it would never have any; a server
 * only gathers them a minute or more after a bulk load. The store therefore runs ANALYZE itself
 * once the rows added since the last one exceed a tenth of the table (at least `minimumRows`).
 * `alsoTables` are analyzed in the same statement (the store passes object_references on
 * PostgreSQL, where the sharing guard's target_id = ANY(…) lookup otherwise waits for autovacuum).
 */
export class TableStatistics {
  private added = 0;
  private threshold: number;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly table: string,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly minimumRows = 1000,
    private readonly alsoTables: readonly string[] = [],
  ) {
    this.threshold = minimumRows;
  }

  /** Counts rows a write added; starts an ANALYZE in the background when enough have come. */
  rowsAdded(count: number): void {
    this.added += count;
    if (this.added < this.threshold || this.running) return;
    this.added = 0;
    this.running = this.analyze()
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Waits for an ANALYZE in progress (tests, shutdown). */
  async settled(): Promise<void> {
    await this.running;
  }

  private async analyze(): Promise<void> {
    await this.db.query(`ANALYZE ${[this.table, ...this.alsoTables].join(', ')}`);
    const rows = await this.db.query<{ reltuples: number }>('SELECT reltuples FROM pg_class WHERE relname = $1', [this.table]);
    const estimate = Number(rows.rows[0]?.reltuples ?? 0);
    this.threshold = Math.max(this.minimumRows, Math.round(estimate / 10));
  }
}

import type { AnalysisBacklog, AnalysisKeyStore, IndexableVersion, IndexedVersion } from '../analysis-key-store';
import type { DerivedFeedEntries, StoredFeedValue } from '../sensor-feed-store';
import type { Database } from './database';

interface VersionRow {
  date_added: string;
  ord: number | null;
  kind: string | null;
  value: string | null;
  algorithm: string | null;
  intentional: boolean | null;
}

/**
 * AnalysisKeyStore over analysis_keys and analysis_watermarks (migration 018). Versions are walked
 * over stix_objects_type_idx (collection_id, type, date_added), each joined with its saved feed
 * entries through their primary key (as SqlSensorFeedStore does).
 */
export class SqlAnalysisKeyStore implements AnalysisKeyStore {
  constructor(private readonly db: Database) {}

  async backlog(): Promise<AnalysisBacklog[]> {
    const { rows } = await this.db.query<{ collection_id: string; indexed_through: string; last_date_added: string }>(
      `SELECT c.collection_id, COALESCE(w.indexed_through, 0) AS indexed_through, c.last_date_added
         FROM collection_clocks c LEFT JOIN analysis_watermarks w ON w.collection_id = c.collection_id
        WHERE c.last_date_added > COALESCE(w.indexed_through, 0)
        ORDER BY c.collection_id`,
    );
    return rows.map((r) => ({ collectionId: r.collection_id, indexedThrough: Number(r.indexed_through), lastDateAdded: Number(r.last_date_added) }));
  }

  async versions(collectionId: string, after: number, atMost: number, derivation: number, limit: number): Promise<IndexableVersion[]> {
    const { rows } = await this.db.query<VersionRow>(
      `WITH v AS (
         SELECT o.collection_id, o.date_added FROM stix_objects o
          WHERE o.collection_id = $1 AND o.type = 'indicator' AND o.date_added > $2::bigint AND o.date_added <= $3::bigint
          ORDER BY o.date_added LIMIT $5)
       SELECT v.date_added, e.ord, e.kind, e.value, e.algorithm, e.intentional
         FROM v LEFT JOIN LATERAL (
                SELECT * FROM feed_entries f
                 WHERE f.collection_id = v.collection_id AND f.date_added = v.date_added AND f.derivation = $4::int
                OFFSET 0) e ON true
        ORDER BY v.date_added, e.ord`,
      [collectionId, after, atMost, derivation, limit],
    );
    const versions: IndexableVersion[] = [];
    let current: { dateAdded: number; values: StoredFeedValue[]; derived: boolean; intentional: boolean } | undefined;
    const close = () => {
      if (current === undefined) return;
      const derived: DerivedFeedEntries = { values: current.values, intentional: current.intentional };
      versions.push(current.derived ? { dateAdded: current.dateAdded, derived } : { dateAdded: current.dateAdded });
    };
    for (const row of rows) {
      const dateAdded = Number(row.date_added);
      if (current === undefined || current.dateAdded !== dateAdded) {
        close();
        current = { dateAdded, values: [], derived: row.ord !== null, intentional: row.intentional === true };
      }
      if (row.ord !== null && row.ord >= 0 && row.kind !== null && row.value !== null) {
        current.values.push({ kind: row.kind, value: row.value, ...(row.algorithm !== null ? { algorithm: row.algorithm } : {}) });
      }
    }
    close();
    return versions;
  }

  async record(collectionId: string, versions: readonly IndexedVersion[], through: number): Promise<void> {
    const d: number[] = [];
    const key: string[] = [];
    const net: (string | null)[] = [];
    for (const version of versions) {
      for (const k of version.keys) {
        d.push(version.dateAdded);
        key.push(k.key);
        net.push(k.net ?? null);
      }
    }
    await this.db.transaction(async (tx) => {
      if (d.length > 0) {
        // A version deleted since it was read has no row left to name: its keys are passed over.
        await tx.query(
          `INSERT INTO analysis_keys (collection_id, date_added, key, net)
           SELECT $1, t.d, t.key, t.net::inet FROM unnest($2::bigint[], $3::text[], $4::text[]) AS t(d, key, net)
            WHERE EXISTS (SELECT 1 FROM stix_objects s WHERE s.collection_id = $1 AND s.date_added = t.d)
           ON CONFLICT DO NOTHING`,
          [collectionId, d, key, net],
        );
      }
      await tx.query(
        `INSERT INTO analysis_watermarks (collection_id, indexed_through) VALUES ($1, $2)
         ON CONFLICT (collection_id) DO UPDATE SET indexed_through = GREATEST(analysis_watermarks.indexed_through, EXCLUDED.indexed_through)`,
        [collectionId, through],
      );
    });
  }
}

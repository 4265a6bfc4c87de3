import type { AnalysisBacklog, AnalysisKeyStore, AnnouncementBacklog, IndexableVersion, IndexedVersion } from '../analysis-key-store';
import type { DerivedFeedEntries, StoredFeedValue } from '../sensor-feed-store';
import type { Database } from './database';

interface VersionRow {
  date_added: string;
  id: string;
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
    return this.withEntries(
      `SELECT o.collection_id, o.date_added, o.id FROM stix_objects o
        WHERE o.collection_id = $1 AND o.type = 'indicator' AND o.is_head AND o.date_added > $2::bigint AND o.date_added <= $3::bigint
        ORDER BY o.date_added LIMIT $5`,
      [collectionId, after, atMost, derivation, limit],
    );
  }

  async restoredHeads(collectionId: string, after: number, atMost: number, derivation: number): Promise<IndexableVersion[]> {
    return this.withEntries(
      `SELECT DISTINCT o.collection_id, o.date_added, o.id
         FROM collection_events e
         JOIN stix_objects o ON o.collection_id = e.collection_id AND o.id = e.object_id AND o.is_head AND o.type = 'indicator'
        WHERE e.collection_id = $1 AND e.position > $2::bigint AND e.position <= $3::bigint AND e.type = 'indicator'
          AND e.operation IN ('updated', 'revoked', 'benign', 'expired') AND o.date_added <= $2::bigint
          AND NOT EXISTS (SELECT 1 FROM analysis_keys k WHERE k.collection_id = o.collection_id AND k.date_added = o.date_added)
        ORDER BY o.date_added`,
      [collectionId, after, atMost, derivation],
    );
  }

  /** The versions `heads` selects ($1 the collection, $4 the derivation), each with its saved feed entries. */
  private async withEntries(heads: string, params: unknown[]): Promise<IndexableVersion[]> {
    const { rows } = await this.db.query<VersionRow>(
      `WITH v AS (${heads})
       SELECT v.date_added, v.id, e.ord, e.kind, e.value, e.algorithm, e.intentional
         FROM v LEFT JOIN LATERAL (
                SELECT * FROM feed_entries f
                 WHERE f.collection_id = v.collection_id AND f.date_added = v.date_added AND f.derivation = $4::int
                OFFSET 0) e ON true
        ORDER BY v.date_added, e.ord`,
      params,
    );
    const versions: IndexableVersion[] = [];
    let current: { dateAdded: number; id: string; values: StoredFeedValue[]; derived: boolean; intentional: boolean } | undefined;
    const close = () => {
      if (current === undefined) return;
      const derived: DerivedFeedEntries = { values: current.values, intentional: current.intentional };
      versions.push(current.derived ? { dateAdded: current.dateAdded, id: current.id, derived } : { dateAdded: current.dateAdded, id: current.id });
    };
    for (const row of rows) {
      const dateAdded = Number(row.date_added);
      if (current === undefined || current.dateAdded !== dateAdded) {
        close();
        current = { dateAdded, id: row.id, values: [], derived: row.ord !== null, intentional: row.intentional === true };
      }
      if (row.ord !== null && row.ord >= 0 && row.kind !== null && row.value !== null) {
        current.values.push({ kind: row.kind, value: row.value, ...(row.algorithm !== null ? { algorithm: row.algorithm } : {}) });
      }
    }
    close();
    return versions;
  }

  async record(collectionId: string, versions: readonly (IndexedVersion & { readonly id: string })[], through: number): Promise<void> {
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
      if (versions.length > 0) {
        // Only heads are ever read (every reader joins is_head): the keys of the versions these supersede go.
        await tx.query(
          `DELETE FROM analysis_keys a USING stix_objects o
            WHERE o.collection_id = $1 AND o.id = ANY($2::text[]) AND NOT o.is_head
              AND a.collection_id = $1 AND a.date_added = o.date_added`,
          [collectionId, [...new Set(versions.map((v) => v.id))]],
        );
      }
      await tx.query(
        `INSERT INTO analysis_watermarks (collection_id, indexed_through) VALUES ($1, $2)
         ON CONFLICT (collection_id) DO UPDATE SET indexed_through = GREATEST(analysis_watermarks.indexed_through, EXCLUDED.indexed_through)`,
        [collectionId, through],
      );
    });
  }

  async announcementBacklog(): Promise<AnnouncementBacklog[]> {
    const { rows } = await this.db.query<{ collection_id: string; announced_through: string; indexed_through: string }>(
      'SELECT collection_id, announced_through, indexed_through FROM analysis_watermarks WHERE announced_through < indexed_through ORDER BY collection_id',
    );
    return rows.map((r) => ({ collectionId: r.collection_id, announcedThrough: Number(r.announced_through), indexedThrough: Number(r.indexed_through) }));
  }

  async keyedVersions(collectionId: string, after: number, atMost: number, limit: number): Promise<IndexedVersion[]> {
    const { rows } = await this.db.query<{ date_added: string; keys: string[]; nets: (string | null)[] }>(
      `SELECT v.date_added, k.keys, k.nets
         FROM (SELECT DISTINCT date_added FROM analysis_keys
                WHERE collection_id = $1 AND date_added > $2::bigint AND date_added <= $3::bigint
                ORDER BY date_added LIMIT $4) v
         CROSS JOIN LATERAL (SELECT array_agg(a.key) AS keys, array_agg(a.net::text) AS nets
                               FROM analysis_keys a WHERE a.collection_id = $1 AND a.date_added = v.date_added) k
        ORDER BY v.date_added`,
      [collectionId, after, atMost, limit],
    );
    return rows.map((r) => ({ dateAdded: Number(r.date_added), keys: r.keys.map((key, i) => (r.nets[i] != null ? { key, net: r.nets[i] as string } : { key })) }));
  }

  async announced(collectionId: string, through: number): Promise<void> {
    await this.db.query('UPDATE analysis_watermarks SET announced_through = GREATEST(announced_through, $2::bigint) WHERE collection_id = $1', [collectionId, through]);
  }
}

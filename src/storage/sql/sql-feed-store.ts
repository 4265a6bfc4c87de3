import type { ReadScope } from '../../access/read-scope';
import type { FeedPage, FeedPartition, FeedRange, FeedStore, IndicatedCampaign } from '../feed-store';
import type { Queryable } from './database';
import { SqlParameters } from './object-queries';

/**
 * The FeedStore over stix_objects: a range walks the primary key (collection_id, date_added) and
 * filters rows by the reader's scope, so a page of `limit` costs about `limit` readable rows.
 * lastLabel reads the collection clock, which every writer advances in the transaction that
 * commits its rows: what it answers is committed, and every later label is higher.
 */
export class SqlFeedStore implements FeedStore {
  constructor(private readonly db: Queryable) {}

  async records(range: FeedRange, limit: number): Promise<FeedPage> {
    const params = new SqlParameters();
    const conditions = rangeConditions(range, params);
    const { rows } = await this.db.query<{ date_added: string; id: string; type: string; provider_org_id: string; json: string }>(
      `SELECT o.date_added, o.id, o.type, o.provider_org_id, o.object::text AS json
         FROM stix_objects o
        WHERE ${conditions.join(' AND ')}
        ORDER BY o.date_added
        LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    return {
      records: rows.slice(0, limit).map((row) => ({ dateAdded: Number(row.date_added), id: row.id, type: row.type, providerOrgId: row.provider_org_id, json: row.json })),
      more: rows.length > limit,
    };
  }

  async count(range: FeedRange): Promise<number> {
    const params = new SqlParameters();
    const conditions = rangeConditions(range, params);
    const { rows } = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM stix_objects o WHERE ${conditions.join(' AND ')}`, params.values);
    return Number(rows[0]?.n ?? 0);
  }

  async partition(range: FeedRange, size: number): Promise<FeedPartition> {
    const params = new SqlParameters();
    const conditions = rangeConditions(range, params);
    const { rows } = await this.db.query<{ date_added: string; total: string }>(
      `SELECT date_added, total FROM (
         SELECT o.date_added, row_number() OVER (ORDER BY o.date_added) AS n, count(*) OVER () AS total
           FROM stix_objects o
          WHERE ${conditions.join(' AND ')}) t
        WHERE n % ${params.add(size)} = 0 OR n = total
        ORDER BY date_added`,
      params.values,
    );
    return { count: Number(rows[0]?.total ?? 0), ends: rows.map((row) => Number(row.date_added)) };
  }

  async indicatedCampaigns(collectionId: string, scope: ReadScope, indicatorIds: readonly string[]): Promise<IndicatedCampaign[]> {
    if (indicatorIds.length === 0) return [];
    const params = new SqlParameters();
    const collection = params.add(collectionId);
    // object_references finds the relationships naming the indicators (its primary key leads with the
    // target). The scope predicate names columns unqualified: in each query only stix_objects has them.
    const { rows } = await this.db.query<{ indicator_id: string; campaign_id: string; name: string | null }>(
      `WITH rel AS (
         SELECT r.target_id AS indicator_id, s.object->>'target_ref' AS campaign_id
           FROM object_references r
           JOIN stix_objects s ON s.collection_id = r.collection_id AND s.id = r.source_id
          WHERE r.collection_id = ${collection} AND r.target_id = ANY(${params.add([...indicatorIds], '::text[]')})
            AND s.type = 'relationship' AND s.is_head AND s.lifecycle IS NULL
            AND s.object->>'relationship_type' = 'indicates' AND s.object->>'source_ref' = r.target_id
            AND ${params.scope(scope)}
       )
       SELECT rel.indicator_id, c.id AS campaign_id, c.object->>'name' AS name
         FROM rel JOIN stix_objects c ON c.collection_id = ${collection} AND c.id = rel.campaign_id
        WHERE c.type = 'campaign' AND c.is_head AND c.lifecycle IS NULL AND ${params.scope(scope)}
        ORDER BY rel.indicator_id, c.id`,
      params.values,
    );
    return rows.map((row) => ({ indicatorId: row.indicator_id, campaignId: row.campaign_id, name: row.name ?? '' }));
  }

  async lastLabel(collectionId: string): Promise<number> {
    return (await this.lastLabels([collectionId])).get(collectionId) ?? 0;
  }

  async lastLabels(collectionIds: readonly string[]): Promise<Map<string, number>> {
    const labels = new Map<string, number>(collectionIds.map((id) => [id, 0]));
    if (collectionIds.length === 0) return labels;
    const { rows } = await this.db.query<{ collection_id: string; last_date_added: string }>(
      'SELECT collection_id, last_date_added FROM collection_clocks WHERE collection_id = ANY($1::uuid[])',
      [[...collectionIds]],
    );
    for (const row of rows) labels.set(row.collection_id, Number(row.last_date_added));
    return labels;
  }
}

function rangeConditions(range: FeedRange, params: SqlParameters): string[] {
  const conditions = [`o.collection_id = ${params.add(range.collectionId)}`, params.scope(range.scope)];
  if (range.types !== undefined) {
    conditions.push(range.types.length === 1 ? `o.type = ${params.add(range.types[0])}` : `o.type = ANY(${params.add([...range.types], '::text[]')})`);
  }
  if (range.addedAfter !== undefined) conditions.push(`o.date_added > ${params.add(range.addedAfter)}`);
  if (range.addedAtMost !== undefined) conditions.push(`o.date_added <= ${params.add(range.addedAtMost)}`);
  return conditions;
}

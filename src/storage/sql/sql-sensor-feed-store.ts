import type { TlpLevel } from '../../domain/tenancy';
import type { ActiveIndicatorChunk, ActiveIndicatorQuery, SensorFeedStore } from '../sensor-feed-store';
import type { Queryable } from './database';
import { SqlParameters } from './object-queries';

/** Properties of an indicator no feed format shows: left in the database. */
const UNUSED_PROPERTIES = ['description', 'kill_chain_phases', 'external_references', 'object_marking_refs', 'granular_markings', 'created_by_ref'];

/**
 * SensorFeedStore over stix_objects: the maintained heads (is_head) of indicators, active by the
 * lifecycle and valid_until columns of migration 008, filtered by the reader's scope inside the
 * query, walked in date_added order over stix_objects_type_idx (collection_id, type, date_added).
 */
export class SqlSensorFeedStore implements SensorFeedStore {
  constructor(private readonly db: Queryable) {}

  async activeIndicators(query: ActiveIndicatorQuery, limit: number): Promise<ActiveIndicatorChunk> {
    const params = new SqlParameters();
    const conditions = [
      `o.collection_id = ${params.add(query.collectionId)}`,
      `o.type = 'indicator'`,
      'o.is_head',
      'o.lifecycle IS NULL',
      `(o.valid_until IS NULL OR o.valid_until > ${params.add(query.nowMicros, '::bigint')})`,
      params.scope(query.scope),
    ];
    if (query.afterDateAdded !== undefined) conditions.push(`o.date_added > ${params.add(query.afterDateAdded, '::bigint')}`);
    if (query.minConfidence !== undefined && query.minConfidence > 0) {
      conditions.push(`jsonb_typeof(o.object->'confidence') = 'number' AND (o.object->>'confidence')::numeric >= ${params.add(query.minConfidence, '::numeric')}`);
    }
    const { rows } = await this.db.query<{ id: string; date_added: string; version: string; provider_org_id: string; tlp: TlpLevel; json: string }>(
      `SELECT o.id, o.date_added, o.version, o.provider_org_id, o.tlp, ${query.whole === true ? 'o.object' : `(o.object - ${params.add(UNUSED_PROPERTIES, '::text[]')})`}::text AS json
         FROM stix_objects o
        WHERE ${conditions.join(' AND ')}
        ORDER BY o.date_added
        LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    return {
      indicators: rows.slice(0, limit).map((row) => ({
        id: row.id,
        dateAdded: Number(row.date_added),
        version: Number(row.version),
        providerOrgId: row.provider_org_id,
        tlp: row.tlp,
        json: row.json,
      })),
      more: rows.length > limit,
    };
  }
}

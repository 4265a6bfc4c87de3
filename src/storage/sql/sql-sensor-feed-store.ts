import type { ReadScope } from '../../access/read-scope';
import { HUB_EXTENSION_ID } from '../../domain/hub-extension';
import type { TlpLevel } from '../../domain/tenancy';
import type { ActiveIndicatorChunk, ActiveIndicatorQuery, SensorFeedStore } from '../sensor-feed-store';
import type { Queryable } from './database';
import { SqlParameters } from './object-queries';

interface Row {
  id: string;
  date_added: string;
  provider_org_id: string;
  tlp: TlpLevel;
  modified: string | null;
  pattern: string | null;
  pattern_type: string | null;
  confidence: string | null;
  valid_until: string | null;
  hub_kind: string | null;
  intentional: boolean | null;
  json?: string;
}

/**
 * SensorFeedStore over stix_objects: the maintained heads (is_head) of indicators, active by the
 * lifecycle and valid_until columns of migration 008, filtered by the reader's scope inside the
 * query, walked in date_added order over stix_objects_type_idx (collection_id, type, date_added).
 * The few properties a feed entry needs are extracted in SQL (->>), so no object text is sent.
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
    const ext = params.add(HUB_EXTENSION_ID);
    const text = (property: string) => `CASE WHEN jsonb_typeof(o.object->'${property}') = 'string' THEN o.object->>'${property}' END`;
    const { rows } = await this.db.query<Row>(
      `SELECT o.id, o.date_added, o.provider_org_id, o.tlp,
              ${text('modified')} AS modified, ${text('pattern')} AS pattern, ${text('pattern_type')} AS pattern_type, ${text('valid_until')} AS valid_until,
              CASE WHEN jsonb_typeof(o.object->'confidence') = 'number' THEN o.object->>'confidence' END AS confidence,
              o.object->'extensions'->${ext}->>'kind' AS hub_kind,
              o.object->'extensions'->${ext}->'intentional' = 'true'::jsonb AS intentional
              ${query.whole === true ? ', o.object::text AS json' : ''}
         FROM stix_objects o
        WHERE ${conditions.join(' AND ')}
        ORDER BY o.date_added
        LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    return { indicators: rows.slice(0, limit).map(toIndicator), more: rows.length > limit };
  }

  async campaignNames(collectionId: string, scope: ReadScope): Promise<Map<string, string[]>> {
    const params = new SqlParameters();
    const collection = params.add(collectionId);
    // Each scope predicate stands in a query level whose FROM alone has the columns it names.
    const { rows } = await this.db.query<{ indicator_id: string; name: string }>(
      `WITH rel AS (
         SELECT object->>'source_ref' AS indicator_id, object->>'target_ref' AS campaign_id FROM stix_objects
          WHERE collection_id = ${collection} AND type = 'relationship' AND is_head AND lifecycle IS NULL
            AND object->>'relationship_type' = 'indicates' AND ${params.scope(scope)}),
       camp AS (
         SELECT id, COALESCE(object->>'name', '') AS name FROM stix_objects
          WHERE collection_id = ${collection} AND type = 'campaign' AND is_head AND lifecycle IS NULL AND ${params.scope(scope)})
       SELECT rel.indicator_id, camp.name FROM rel JOIN camp ON camp.id = rel.campaign_id
        ORDER BY rel.indicator_id, camp.name`,
      params.values,
    );
    const names = new Map<string, string[]>();
    for (const row of rows) names.set(row.indicator_id, [...(names.get(row.indicator_id) ?? []), row.name]);
    return names;
  }
}

function toIndicator(row: Row) {
  return {
    id: row.id,
    dateAdded: Number(row.date_added),
    providerOrgId: row.provider_org_id,
    tlp: row.tlp,
    ...(row.modified !== null ? { modified: row.modified } : {}),
    ...(row.pattern !== null ? { pattern: row.pattern } : {}),
    ...(row.pattern_type !== null ? { patternType: row.pattern_type } : {}),
    ...(row.confidence !== null ? { confidence: Number(row.confidence) } : {}),
    ...(row.valid_until !== null ? { validUntil: row.valid_until } : {}),
    ...(row.hub_kind !== null ? { hubKind: row.hub_kind } : {}),
    intentional: row.intentional === true,
    ...(row.json !== undefined ? { json: row.json } : {}),
  };
}

import type { ReadScope } from '../../access/read-scope';
import { HUB_EXTENSION_ID } from '../../domain/hub-extension';
import type { TlpLevel } from '../../domain/tenancy';
import type { ActiveIndicator, ActiveIndicatorChunk, ActiveIndicatorQuery, DerivedFeedEntries, IndicatorSource, SensorFeedStore, StoredFeedValue } from '../sensor-feed-store';
import type { Queryable } from './database';
import { SqlParameters } from './object-queries';

interface HeadRow {
  id: string;
  date_added: string;
  version: string;
  provider_org_id: string;
  tlp: TlpLevel;
  json?: string;
  ord: number | null;
  kind: string | null;
  value: string | null;
  algorithm: string | null;
  confidence: number | null;
  valid_until: string | null;
  intentional: boolean | null;
}

/**
 * SensorFeedStore over stix_objects and feed_entries (migration 015): the maintained heads
 * (is_head) of indicators, active by the lifecycle and valid_until columns of migration 008,
 * filtered by the reader's scope inside the query, walked in date_added order over
 * stix_objects_type_idx (collection_id, type, date_added), each joined with its saved entries.
 * The entries are probed per head through feed_entries' primary key (LATERAL ... OFFSET 0): a plain
 * join let the planner sort the whole table for every chunk, which made a render quadratic.
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
    const { rows } = await this.db.query<HeadRow>(
      `WITH h AS (
         SELECT o.collection_id, o.id, o.date_added, o.version, o.provider_org_id, o.tlp${query.whole === true ? ', o.object::text AS json' : ''}
           FROM stix_objects o
          WHERE ${conditions.join(' AND ')}
          ORDER BY o.date_added
          LIMIT ${params.add(limit + 1)})
       SELECT h.id, h.date_added, h.version, h.provider_org_id, h.tlp${query.whole === true ? ', h.json' : ''},
              e.ord, e.kind, e.value, e.algorithm, e.confidence, e.valid_until, e.intentional
         FROM h LEFT JOIN LATERAL (
                SELECT * FROM feed_entries f
                 WHERE f.collection_id = h.collection_id AND f.date_added = h.date_added AND f.derivation = ${params.add(query.derivation, '::int')}
                OFFSET 0) e ON true
        ORDER BY h.date_added, e.ord`,
      params.values,
    );
    const heads: ActiveIndicator[] = [];
    let current: { head: ActiveIndicator; values: StoredFeedValue[] } | undefined;
    const close = () => {
      if (current !== undefined) heads.push(current.head.derived === undefined ? current.head : { ...current.head, derived: { ...current.head.derived, values: current.values } });
    };
    for (const row of rows) {
      const dateAdded = Number(row.date_added);
      if (current === undefined || current.head.dateAdded !== dateAdded) {
        close();
        const derived: DerivedFeedEntries | undefined =
          row.ord === null
            ? undefined
            : { values: [], intentional: row.intentional === true, ...(row.confidence !== null ? { confidence: row.confidence } : {}), ...(row.valid_until !== null ? { validUntil: row.valid_until } : {}) };
        current = {
          head: { id: row.id, dateAdded, version: Number(row.version), providerOrgId: row.provider_org_id, tlp: row.tlp, ...(derived !== undefined ? { derived } : {}), ...(row.json !== undefined ? { json: row.json } : {}) },
          values: [],
        };
      }
      if (row.ord !== null && row.ord >= 0 && row.kind !== null && row.value !== null) {
        current.values.push({ kind: row.kind, value: row.value, ...(row.algorithm !== null ? { algorithm: row.algorithm } : {}) });
      }
    }
    close();
    return { indicators: heads.slice(0, limit), more: heads.length > limit };
  }

  async indicatorSources(collectionId: string, dateAddeds: readonly number[]): Promise<IndicatorSource[]> {
    if (dateAddeds.length === 0) return [];
    // One conversion of each object into the few properties needed (jsonb_to_record), not one look-up per property.
    const { rows } = await this.db.query<{ date_added: string; id: string; modified: string | null; pattern: string | null; pattern_type: string | null; valid_until: string | null; confidence: string | null; hub_kind: string | null; intentional: boolean | null }>(
      `SELECT o.date_added, o.id,
              CASE WHEN jsonb_typeof(x.modified) = 'string' THEN x.modified #>> '{}' END AS modified,
              CASE WHEN jsonb_typeof(x.pattern) = 'string' THEN x.pattern #>> '{}' END AS pattern,
              CASE WHEN jsonb_typeof(x.pattern_type) = 'string' THEN x.pattern_type #>> '{}' END AS pattern_type,
              CASE WHEN jsonb_typeof(x.valid_until) = 'string' THEN x.valid_until #>> '{}' END AS valid_until,
              CASE WHEN jsonb_typeof(x.confidence) = 'number' THEN x.confidence #>> '{}' END AS confidence,
              x.extensions->$3->>'kind' AS hub_kind,
              x.extensions->$3->'intentional' = 'true'::jsonb AS intentional
         FROM stix_objects o, jsonb_to_record(o.object) AS x(modified jsonb, pattern jsonb, pattern_type jsonb, valid_until jsonb, confidence jsonb, extensions jsonb)
        WHERE o.collection_id = $1 AND o.date_added = ANY($2::bigint[])`,
      [collectionId, [...dateAddeds], HUB_EXTENSION_ID],
    );
    return rows.map((row) => ({
      dateAdded: Number(row.date_added),
      id: row.id,
      ...(row.modified !== null ? { modified: row.modified } : {}),
      ...(row.pattern !== null ? { pattern: row.pattern } : {}),
      ...(row.pattern_type !== null ? { patternType: row.pattern_type } : {}),
      ...(row.valid_until !== null ? { validUntil: row.valid_until } : {}),
      ...(row.confidence !== null ? { confidence: Number(row.confidence) } : {}),
      ...(row.hub_kind !== null ? { hubKind: row.hub_kind } : {}),
      intentional: row.intentional === true,
    }));
  }

  /**
   * `fresh`: the versions were stored in this transaction (the write path), so they have no rows of
   * another derivation to drop and exist for certain: one INSERT, nothing checked.
   */
  async saveDerived(collectionId: string, derivation: number, versions: readonly { readonly dateAdded: number; readonly derived: DerivedFeedEntries }[], fresh = false): Promise<void> {
    if (versions.length === 0) return;
    const columns = { d: [] as number[], ord: [] as number[], kind: [] as (string | null)[], value: [] as (string | null)[], algorithm: [] as (string | null)[], confidence: [] as (number | null)[], validUntil: [] as (string | null)[], intentional: [] as boolean[] };
    const push = (dateAdded: number, derived: DerivedFeedEntries, ord: number, value: StoredFeedValue | undefined) => {
      columns.d.push(dateAdded);
      columns.ord.push(ord);
      columns.kind.push(value?.kind ?? null);
      columns.value.push(value?.value ?? null);
      columns.algorithm.push(value?.algorithm ?? null);
      // A confidence the feed shows is an integer 0..100 (feedEntriesOf); anything else is none.
      columns.confidence.push(derived.confidence !== undefined && Number.isInteger(derived.confidence) && derived.confidence >= 0 && derived.confidence <= 100 ? derived.confidence : null);
      columns.validUntil.push(derived.validUntil ?? null);
      columns.intentional.push(derived.intentional);
    };
    for (const { dateAdded, derived } of versions) {
      if (derived.values.length === 0) push(dateAdded, derived, -1, undefined);
      derived.values.forEach((value, ord) => push(dateAdded, derived, ord, value));
    }
    const dates = [...new Set(columns.d)];
    if (!fresh) await this.db.query('DELETE FROM feed_entries WHERE collection_id = $1 AND date_added = ANY($2::bigint[]) AND derivation <> $3', [collectionId, dates, derivation]);
    await this.db.query(
      `INSERT INTO feed_entries (collection_id, date_added, ord, derivation, kind, value, algorithm, confidence, valid_until, intentional)
       SELECT $1, t.d, t.ord, $2, t.kind, t.value, t.algorithm, t.confidence, t.valid_until, t.intentional
         FROM unnest($3::bigint[], $4::int[], $5::text[], $6::text[], $7::text[], $8::smallint[], $9::text[], $10::boolean[])
              AS t(d, ord, kind, value, algorithm, confidence, valid_until, intentional)
        WHERE $11::boolean OR EXISTS (SELECT 1 FROM stix_objects s WHERE s.collection_id = $1 AND s.date_added = t.d)
       ON CONFLICT (collection_id, date_added, ord) DO NOTHING`,
      [collectionId, derivation, columns.d, columns.ord, columns.kind, columns.value, columns.algorithm, columns.confidence, columns.validUntil, columns.intentional, fresh],
    );
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

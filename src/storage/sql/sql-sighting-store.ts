import type { ReadScope } from '../../access/read-scope';
import type { NewObjectVersion, ObjectStore, ProviderAppendOutcome } from '../object-store';
import { FALSE_POSITIVE_OPINIONS, type ReportAppendOptions, type ReporterFigures, type SightingStore, type StoredReport } from '../sighting-store';
import type { Queryable } from './database';
import { SqlParameters } from './object-queries';

/** A STIX timestamp as stored by the validator (RFC 3339, UTC); anything else is left out of first/last seen rather than failing the query. */
const TIMESTAMP = String.raw`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$`;

const timestamp = (column: string) => `(CASE WHEN s.object->>'${column}' ~ '${TIMESTAMP}' THEN (s.object->>'${column}')::timestamptz END)`;
const micros = (aggregate: string) => `(extract(epoch FROM ${aggregate}) * 1000000)::bigint`;

type FiguresRow = {
  indicator_id: string;
  reporter: string;
  sightings: string;
  total: string;
  first_seen: string | null;
  last_seen: string | null;
  false_positives: string;
};

/**
 * SightingStore over SQL. Appends go through ObjectStore.appendAsProvider (the same write path, clock
 * lock, guard and wake-up of the delivery engine) with the reporter's scope for named readers.
 *
 * Figures walk object_references (migration 005: every object naming each indicator, by the primary
 * key (collection_id, target_id, ...)) to the head of each naming object through stix_objects'
 * unique (collection_id, id, version) index — both as probes per row (LATERAL ... OFFSET 0): a plain
 * join let the planner scan the whole collection's references for a page of indicators — keep the sightings of it and the false-positive opinions
 * about it that are not revoked and that the scope reads (named readers included), and aggregate per
 * indicator and reporter. Rows of object_references are never trusted alone: the head's own
 * sighting_of_ref / object_refs must name the indicator.
 */
export class SqlSightingStore implements SightingStore {
  constructor(
    private readonly db: Queryable,
    private readonly objects: Pick<ObjectStore, 'appendAsProvider'>,
  ) {}

  appendReports(
    collectionId: string,
    reporterOrgId: string,
    versions: readonly NewObjectVersion[],
    nowMicros: number,
    readerScope: ReadScope,
    options: ReportAppendOptions = {},
  ): Promise<ProviderAppendOutcome[]> {
    return this.objects.appendAsProvider(collectionId, reporterOrgId, versions, nowMicros, options.audit, options.guard, readerScope);
  }

  async figures(collectionId: string, indicatorIds: readonly string[], scope: ReadScope): Promise<ReporterFigures[]> {
    if (indicatorIds.length === 0 || scope.kind === 'none') return [];
    const params = new SqlParameters();
    const collection = params.add(collectionId);
    const ids = params.add([...new Set(indicatorIds)], '::text[]');
    const disagree = params.add([...FALSE_POSITIVE_OPINIONS], '::text[]');
    // The scope predicate names unqualified columns: only stix_objects (s) has them here.
    const readable = params.scope(scope);
    const isSighting = `s.type = 'sighting' AND s.object->>'sighting_of_ref' = t.id`;
    const { rows } = await this.db.query<FiguresRow>(
      `SELECT t.id AS indicator_id, s.provider_org_id AS reporter,
              count(*) FILTER (WHERE s.type = 'sighting') AS sightings,
              COALESCE(sum(CASE WHEN jsonb_typeof(s.object->'count') = 'number' THEN (s.object->>'count')::numeric ELSE 1 END) FILTER (WHERE s.type = 'sighting'), 0) AS total,
              ${micros(`min(${timestamp('first_seen')}) FILTER (WHERE s.type = 'sighting')`)} AS first_seen,
              ${micros(`max(${timestamp('last_seen')}) FILTER (WHERE s.type = 'sighting')`)} AS last_seen,
              count(*) FILTER (WHERE s.type = 'opinion') AS false_positives
         FROM unnest(${ids}) AS t(id)
         CROSS JOIN LATERAL (
           SELECT r.collection_id, r.source_id FROM object_references r
            WHERE r.collection_id = ${collection} AND r.target_id = t.id
            OFFSET 0) r
         CROSS JOIN LATERAL (
           SELECT x.type, x.provider_org_id, x.object, x.lifecycle, x.tlp, x.recipients, x.named_readers FROM stix_objects x
            WHERE x.collection_id = r.collection_id AND x.id = r.source_id AND x.is_head
            OFFSET 0) s
        WHERE s.lifecycle IS NULL
          AND ((${isSighting})
               OR (s.type = 'opinion' AND s.object->>'opinion' = ANY(${disagree}) AND s.object->'object_refs' @> jsonb_build_array(t.id)))
          AND ${readable}
        GROUP BY t.id, s.provider_org_id
        ORDER BY t.id, s.provider_org_id`,
      params.values,
    );
    return rows.map((r) => ({
      indicatorId: r.indicator_id,
      reporterOrgId: r.reporter,
      sightings: Number(r.sightings),
      count: Number(r.total),
      ...(r.first_seen !== null ? { firstSeen: Number(r.first_seen) } : {}),
      ...(r.last_seen !== null ? { lastSeen: Number(r.last_seen) } : {}),
      falsePositives: Number(r.false_positives),
    }));
  }

  async reports(collectionId: string, indicatorId: string, scope: ReadScope, limit: number): Promise<StoredReport[]> {
    if (scope.kind === 'none') return [];
    const params = new SqlParameters();
    const collection = params.add(collectionId);
    const id = params.add(indicatorId, '::text');
    const disagree = params.add([...FALSE_POSITIVE_OPINIONS], '::text[]');
    const readable = params.scope(scope);
    const { rows } = await this.db.query<{ id: string; type: 'sighting' | 'opinion'; provider_org_id: string; date_added: string; object: Record<string, unknown>; tlp: string }>(
      `SELECT s.id, s.type, s.provider_org_id, s.date_added, s.object, s.tlp
         FROM (SELECT r.collection_id, r.source_id FROM object_references r
                WHERE r.collection_id = ${collection} AND r.target_id = ${id} OFFSET 0) r
         CROSS JOIN LATERAL (
           SELECT x.id, x.type, x.provider_org_id, x.date_added, x.object, x.lifecycle, x.tlp, x.recipients, x.named_readers FROM stix_objects x
            WHERE x.collection_id = r.collection_id AND x.id = r.source_id AND x.is_head
            OFFSET 0) s
        WHERE s.lifecycle IS NULL
          AND ((s.type = 'sighting' AND s.object->>'sighting_of_ref' = ${id})
               OR (s.type = 'opinion' AND s.object->>'opinion' = ANY(${disagree}) AND s.object->'object_refs' @> jsonb_build_array(${id})))
          AND ${readable}
        ORDER BY s.date_added DESC
        LIMIT ${params.add(limit)}`,
      params.values,
    );
    return rows.map((r) => ({ id: r.id, type: r.type, reporterOrgId: r.provider_org_id, dateAdded: Number(r.date_added), object: r.object, tlp: r.tlp }));
  }
}

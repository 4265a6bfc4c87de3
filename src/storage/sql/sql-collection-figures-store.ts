import type { ReadScope } from '../../access/read-scope';
import type { TlpLevel } from '../../domain/tenancy';
import type { CollectionFiguresStore, ProviderMarkingFigure, ReadableBacklog } from '../collection-figures-store';
import type { Queryable } from './database';
import { SqlParameters } from './object-queries';

interface FigureRow {
  provider_org_id: string;
  tlp: TlpLevel;
  objects: string | number;
  indicators: string | number;
  last_added: string;
}

/** CollectionFiguresStore over stix_objects: readable heads grouped by provider and marking, for both engines. */
export class SqlCollectionFiguresStore implements CollectionFiguresStore {
  constructor(private readonly db: Queryable) {}

  async readableFigures(collectionId: string, scope: ReadScope): Promise<ProviderMarkingFigure[]> {
    if (scope.kind === 'none') return [];
    const params = new SqlParameters();
    const collection = params.add(collectionId);
    const readable = params.scope(scope);
    const { rows } = await this.db.query<FigureRow>(
      `SELECT provider_org_id, tlp, count(*) AS objects, count(*) FILTER (WHERE o.type = 'indicator') AS indicators, max(date_added) AS last_added FROM stix_objects o
        WHERE o.collection_id = ${collection} AND o.is_head AND ${readable}
        GROUP BY provider_org_id, tlp
        ORDER BY provider_org_id, tlp`,
      params.values,
    );
    return rows.map((r) => ({ providerOrgId: r.provider_org_id, tlp: r.tlp, objects: Number(r.objects), indicators: Number(r.indicators), lastAdded: Number(r.last_added) }));
  }

  async readableBacklog(collectionId: string, scope: ReadScope, position: number, limit: number, types?: readonly string[]): Promise<ReadableBacklog> {
    if (scope.kind === 'none') return { objects: 0, versions: 0, more: false };
    const params = new SqlParameters();
    const collection = params.add(collectionId);
    const after = params.add(position, '::bigint');
    const readable = params.scope(scope);
    const typed = types === undefined ? '' : ` AND o.type = ANY(${params.add([...types], '::text[]')})`;
    const upTo = params.add(limit + 1, '::integer');
    // The oldest limit + 1 readable versions after the position, along (collection_id, date_added): bounded whatever the backlog.
    const { rows } = await this.db.query<{ objects: string | number; versions: string | number; oldest: string | null }>(
      `SELECT count(DISTINCT b.id) AS objects, count(*) AS versions, min(b.date_added) AS oldest FROM (
         SELECT o.id, o.date_added FROM stix_objects o
          WHERE o.collection_id = ${collection} AND o.date_added > ${after} AND ${readable}${typed}
          ORDER BY o.date_added LIMIT ${upTo}) b`,
      params.values,
    );
    const row = rows[0];
    if (row === undefined || row.oldest === null) return { objects: 0, versions: 0, more: false };
    const versions = Number(row.versions);
    return { objects: Math.min(Number(row.objects), limit), versions: Math.min(versions, limit), oldestAdded: Number(row.oldest), more: versions > limit };
  }
}

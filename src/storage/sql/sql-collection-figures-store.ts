import type { ReadScope } from '../../access/read-scope';
import type { TlpLevel } from '../../domain/tenancy';
import type { CollectionFiguresStore, ProviderMarkingFigure } from '../collection-figures-store';
import type { Queryable } from './database';
import { SqlParameters } from './object-queries';

interface FigureRow {
  provider_org_id: string;
  tlp: TlpLevel;
  objects: string | number;
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
      `SELECT provider_org_id, tlp, count(*) AS objects, max(date_added) AS last_added FROM stix_objects o
        WHERE o.collection_id = ${collection} AND o.is_head AND ${readable}
        GROUP BY provider_org_id, tlp
        ORDER BY provider_org_id, tlp`,
      params.values,
    );
    return rows.map((r) => ({ providerOrgId: r.provider_org_id, tlp: r.tlp, objects: Number(r.objects), lastAdded: Number(r.last_added) }));
  }
}

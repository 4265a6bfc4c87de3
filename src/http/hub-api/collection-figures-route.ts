import { hubError } from '../../domain/errors';
import { formatMicros } from '../../domain/timestamps';
import type { CollectionFigures, CollectionFiguresService } from '../../services/collection-directory/collection-figures';
import type { JsonRoute } from '../json-api/json-api-router';
import { param } from './hub-api-requests';

/**
 * GET /api/collections/{collection}/figures: a collection's objects per provider and TLP and its last
 * activity, counted over what the caller may read only (see CollectionFiguresService).
 */
export interface CollectionFiguresApiServices {
  /** Absent where a hub is composed without it: the route then answers 404. */
  readonly collectionFigures?: CollectionFiguresService;
}

function figuresJson(f: CollectionFigures) {
  const c = f.collection;
  const last = f.figures.reduce((max, row) => Math.max(max, row.lastAdded), 0);
  return {
    id: c.id,
    api_root: c.apiRootId,
    ...(c.alias !== null ? { alias: c.alias } : {}),
    title: c.title,
    default_marking: c.defaultMarking,
    can_read: f.canRead,
    can_write: f.canWrite,
    objects: f.figures.reduce((sum, row) => sum + row.objects, 0),
    ...(last > 0 ? { last_added: formatMicros(last) } : {}),
    by_provider_and_tlp: f.figures.map((row) => ({ ...(row.provider !== undefined ? { provider: row.provider } : {}), tlp: row.tlp, objects: row.objects, last_added: formatMicros(row.lastAdded) })),
    ...(f.entitled !== undefined ? { owner: c.owner.kind === 'organization' ? { organization: c.owner.id } : { trust_group: c.owner.id }, entitled: f.entitled } : {}),
  };
}

export function collectionFiguresRoutes<S extends CollectionFiguresApiServices>(): JsonRoute<S>[] {
  return [
    { method: 'get', path: '/collections/:collection/figures', handle: async (s, who, req) => {
      if (s.collectionFigures === undefined) throw hubError('NOT_FOUND', 'This hub gives no collection figures');
      return { status: 200, body: figuresJson(await s.collectionFigures.figures(who, param(req, 'collection'))) };
    } },
  ];
}

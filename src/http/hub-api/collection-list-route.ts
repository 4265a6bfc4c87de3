import { hubError } from '../../domain/errors';
import type { CollectionDirectory, VisibleCollection } from '../../services/collection-directory/collection-directory';
import type { JsonRoute } from '../json-api/json-api-router';

/** GET /api/collections: the collections the caller may see, in every API root, with can_read / can_write. */
export interface CollectionListApiServices {
  /** Absent where a hub is composed without it: the route then answers 404. */
  readonly collectionDirectory?: CollectionDirectory;
}

function visibleJson(v: VisibleCollection) {
  const c = v.collection;
  return {
    id: c.id,
    api_root: c.apiRootId,
    ...(c.alias !== null ? { alias: c.alias } : {}),
    title: c.title,
    ...(c.description !== null ? { description: c.description } : {}),
    default_marking: c.defaultMarking,
    can_read: v.canRead,
    can_write: v.canWrite,
  };
}

export function collectionListRoutes<S extends CollectionListApiServices>(): JsonRoute<S>[] {
  return [
    { method: 'get', path: '/collections', handle: async (s, who) => {
      if (s.collectionDirectory === undefined) throw hubError('NOT_FOUND', 'This hub lists no collections here; use TAXII 2.1 (GET /{api-root}/collections/)');
      return { status: 200, body: { collections: (await s.collectionDirectory.list(who)).map(visibleJson) } };
    } },
  ];
}

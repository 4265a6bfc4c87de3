import type { Request, Response } from 'express';
import { requirePrincipal } from '../../auth/principal-request';
import type { CollectionService, CollectionView } from '../../services/collection-service';
import { STIX_MEDIA_TYPE } from './media-types';
import { sendTaxii } from './taxii-response';

/** The collection resource (§5.2.1), with can_read / can_write for the requesting client. */
export function collectionResource(view: CollectionView): Record<string, unknown> {
  const { collection } = view;
  return {
    id: collection.id,
    title: collection.title,
    ...(collection.description ? { description: collection.description } : {}),
    ...(collection.alias !== null ? { alias: collection.alias } : {}),
    can_read: view.canRead,
    can_write: view.canWrite,
    media_types: [STIX_MEDIA_TYPE],
  };
}

/** The collections resource (§5.1.1): an empty list is omitted, leaving `{}`. */
export function collectionsResource(views: readonly CollectionView[]): Record<string, unknown> {
  return views.length > 0 ? { collections: views.map(collectionResource) } : {};
}

export function collectionsHandler(service: CollectionService) {
  return async (req: Request, res: Response): Promise<void> => {
    const views = await service.list(requirePrincipal(req), String(req.params.apiRoot));
    sendTaxii(res, 200, collectionsResource(views));
  };
}

export function collectionHandler(service: CollectionService) {
  return async (req: Request, res: Response): Promise<void> => {
    const view = await service.get(requirePrincipal(req), String(req.params.apiRoot), String(req.params.collection));
    sendTaxii(res, 200, collectionResource(view));
  };
}

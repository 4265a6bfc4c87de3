import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { hubError } from '../../domain/errors';
import type { CollectionService } from '../../services/collection-service';
import type { DiscoveryService } from '../../services/discovery-service';
import type { ObjectIngestService } from '../../services/object-ingest-service';
import type { ObjectReadService } from '../../services/object-read-service';
import { methodNotAllowed } from '../errors/error-middleware';
import { addObjectsHandler } from './add-objects-handler';
import { collectionHandler, collectionsHandler } from './collection-handlers';
import { apiRootHandler, discoveryHandler } from './discovery-handlers';
import { acceptsTaxii21 } from './media-types';
import { deleteObjectHandler, getManifestHandler, getObjectHandler, getObjectsHandler, getVersionsHandler } from './object-handlers';
import { TAXII21_PATHS } from './paths';
import { statusHandler } from './status-handler';

export interface Taxii21Dependencies {
  readonly authenticate: RequestHandler;
  readonly discovery: DiscoveryService;
  readonly collections: CollectionService;
  readonly objectIngest: ObjectIngestService;
  /** TAXII 2.1 Get Objects, Get/Delete an Object, Get Object Versions, Get Object Manifests. */
  readonly objectReads: ObjectReadService;
}

/** 401 before anything else; the authenticator may leave anonymous requests through. */
const requireAuthenticated: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  next(req.user ? undefined : hubError('AUTHENTICATION_REQUIRED', 'Send HTTP Basic credentials or an API key'));
};

/** 406 unless the client takes TAXII 2.1 (see media-types.ts for the wildcard policy). */
const negotiate: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  if (acceptsTaxii21(req.headers.accept)) {
    next();
    return;
  }
  next(hubError('NOT_ACCEPTABLE', 'The Accept header names no media type this server provides; use application/taxii+json;version=2.1'));
};

/**
 * 404 for a path segment holding U+0000: no API root, collection, object or status can be named so
 * (PostgreSQL text cannot hold it), and passing it on would make the store fail with a 500.
 */
const rejectImpossibleSegments: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  const impossible = Object.values(req.params).some((value) => typeof value === 'string' && value.includes('\u0000'));
  next(impossible ? hubError('NOT_FOUND', 'There is no resource at this path') : undefined);
};

/**
 * TAXII 2.1 endpoints. Strict routing: `/taxii2` without the slash is not `/taxii2/` (404).
 * Per request: authenticate (401) → negotiate (406) → path segments (404) → handler (404 for unknown API roots).
 */
export function createTaxii21Router(deps: Taxii21Dependencies): Router {
  const router = Router({ strict: true });
  const guard = [deps.authenticate, requireAuthenticated, negotiate, rejectImpossibleSegments];
  router
    .route(TAXII21_PATHS.discovery.pattern)
    .get(...guard, discoveryHandler(deps.discovery))
    .all(methodNotAllowed(TAXII21_PATHS.discovery.methods));
  router
    .route(TAXII21_PATHS.apiRoot.pattern)
    .get(...guard, apiRootHandler(deps.discovery))
    .all(methodNotAllowed(TAXII21_PATHS.apiRoot.methods));
  router
    .route(TAXII21_PATHS.collections.pattern)
    .get(...guard, collectionsHandler(deps.collections))
    .all(methodNotAllowed(TAXII21_PATHS.collections.methods));
  router
    .route(TAXII21_PATHS.collection.pattern)
    .get(...guard, collectionHandler(deps.collections))
    .all(methodNotAllowed(TAXII21_PATHS.collection.methods));
  router
    .route(TAXII21_PATHS.objects.pattern)
    .get(...guard, getObjectsHandler(deps.objectReads))
    .post(...guard, addObjectsHandler(deps.objectIngest))
    .all(methodNotAllowed(TAXII21_PATHS.objects.methods));
  router
    .route(TAXII21_PATHS.object.pattern)
    .get(...guard, getObjectHandler(deps.objectReads))
    .delete(...guard, deleteObjectHandler(deps.objectReads))
    .all(methodNotAllowed(TAXII21_PATHS.object.methods));
  router
    .route(TAXII21_PATHS.versions.pattern)
    .get(...guard, getVersionsHandler(deps.objectReads))
    .all(methodNotAllowed(TAXII21_PATHS.versions.methods));
  router
    .route(TAXII21_PATHS.manifest.pattern)
    .get(...guard, getManifestHandler(deps.objectReads))
    .all(methodNotAllowed(TAXII21_PATHS.manifest.methods));
  router
    .route(TAXII21_PATHS.status.pattern)
    .get(...guard, statusHandler(deps.objectIngest))
    .all(methodNotAllowed(TAXII21_PATHS.status.methods));
  return router;
}

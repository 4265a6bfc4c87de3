import { Router, type RequestHandler } from 'express';
import { requirePrincipal } from '../../auth/principal-request';
import { hubError } from '../../domain/errors';
import type { FeedService } from '../../services/feeds/feed-service';
import type { FeedRequest } from '../../services/feeds/feed-query';

/**
 * GET /api/collections/{collection}/feeds/{format}: a sensor feed of the caller's readable, active
 * indicators (issue 13 §5). Parse → feed service → the rendered bytes with ETag, X-Feed-Cursor and,
 * when the client accepts it, gzip. Refusals answer in the hub API's JSON error form.
 */

/** The feeds' path under HUB_API_PREFIX (the hub API's JSON routes live in hub-api-routes.ts). */
export const FEEDS_PATH = '/collections/:collection/feeds/:format';

const PARAMETERS = { kind: 'kind', min_confidence: 'minConfidence', since: 'since', algorithm: 'algorithm', map: 'map', action: 'action' } as const;

/** The query of a feed request: each known parameter at most once; an unknown one is refused (a typo would silently widen a blocklist). */
export function parseFeedRequest(collection: string, format: string, query: Readonly<Record<string, unknown>>): FeedRequest {
  const request: Record<string, string> = { collection, format };
  for (const [name, value] of Object.entries(query)) {
    const field = (PARAMETERS as Record<string, string | undefined>)[name];
    if (field === undefined) throw hubError('BAD_REQUEST', { description: `${name}: unknown parameter; feeds take ${Object.keys(PARAMETERS).join(', ')}`, problems: [{ path: name, message: 'unknown parameter' }] });
    if (typeof value !== 'string') throw hubError('BAD_REQUEST', { description: `${name}: must be given once`, problems: [{ path: name, message: 'must be given once' }] });
    request[field] = value;
  }
  return request as unknown as FeedRequest;
}

export function createFeedsRouter(deps: { readonly feeds: FeedService; readonly authenticate: RequestHandler }): Router {
  const router = Router();
  router.get(FEEDS_PATH, deps.authenticate, async (req, res) => {
    const request = parseFeedRequest(String(req.params.collection), String(req.params.format), req.query as Record<string, unknown>);
    const ifNoneMatch = req.headers['if-none-match'];
    const answer = await deps.feeds.fetch(requirePrincipal(req), request, {
      ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
      acceptsGzip: req.acceptsEncodings('gzip', 'identity') === 'gzip',
    });
    // A feed differs by credentials and encoding: shared caches must not mix readers.
    res.set({ 'Cache-Control': 'private, no-cache', Vary: 'Authorization, Accept-Encoding' });
    if (answer.status === 'not-modified') {
      res.set('ETag', answer.etag);
      if (answer.cursor !== undefined) res.set('X-Feed-Cursor', answer.cursor);
      res.status(304).end();
      return;
    }
    res.set({ 'Content-Type': answer.contentType, 'X-Feed-Cursor': answer.cursor, 'X-Feed-Content': answer.content });
    if (answer.etag !== undefined) res.set('ETag', answer.etag);
    if (answer.gzip) res.set('Content-Encoding', 'gzip');
    res.status(200).end(answer.body);
  });
  router.all(FEEDS_PATH, deps.authenticate, () => {
    throw hubError('METHOD_NOT_ALLOWED', { description: 'use GET', allow: ['GET'] });
  });
  return router;
}

import { Router, type RequestHandler } from 'express';
import type { FeedService } from '../../services/feeds/feed-service';
import { createJsonApiRouter } from '../json-api/json-api-router';
import { createFeedsRouter } from './feeds-route';
import { HUB_API_ROUTES, type HubApiServices } from './hub-api-routes';
import type { StreamBroker } from '../../services/streams/stream-broker';
import { createStreamRouter } from './stream-route';

/** The hub API, mounted at HUB_API_PREFIX (route-table.ts); errors answer in the same JSON form as the admin API. */
export function createHubApiRouter(deps: { services: HubApiServices; authenticate: RequestHandler; bodyLimitBytes: number; feeds?: FeedService; streams?: StreamBroker }): Router {
  const json = createJsonApiRouter({ routes: HUB_API_ROUTES, services: deps.services, authenticate: deps.authenticate, bodyLimitBytes: deps.bodyLimitBytes });
  // Routes that answer other than JSON come first, each authenticating itself.
  const router = Router();
  if (deps.feeds !== undefined) router.use(createFeedsRouter({ feeds: deps.feeds, authenticate: deps.authenticate }));
  if (deps.streams !== undefined) router.use(createStreamRouter({ broker: deps.streams, authenticate: deps.authenticate }));
  return router.use(json);
}

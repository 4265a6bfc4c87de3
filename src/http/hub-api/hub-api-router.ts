import type { RequestHandler, Router } from 'express';
import { createJsonApiRouter } from '../json-api/json-api-router';
import { HUB_API_ROUTES, type HubApiServices } from './hub-api-routes';

/** The hub API, mounted at HUB_API_PREFIX (route-table.ts); errors answer in the same JSON form as the admin API. */
export function createHubApiRouter(deps: { services: HubApiServices; authenticate: RequestHandler; bodyLimitBytes: number }): Router {
  return createJsonApiRouter({ routes: HUB_API_ROUTES, services: deps.services, authenticate: deps.authenticate, bodyLimitBytes: deps.bodyLimitBytes });
}

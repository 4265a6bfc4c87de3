import type { RequestHandler, Router } from 'express';
import type { AdminService } from '../../services/admin';
import { createJsonApiRouter } from '../json-api/json-api-router';
import { ADMIN_ROUTES } from './admin-routes';

export interface AdminRouterDeps {
  readonly admin: AdminService;
  /** Authenticates every admin request (sets req.user) or fails with 401/429. */
  readonly authenticate: RequestHandler;
  /** Largest JSON body; a larger one is refused with 413. */
  readonly bodyLimitBytes: number;
}

/** The admin API, mounted at ADMIN_API_PREFIX (route-table.ts). */
export function createAdminRouter({ admin, authenticate, bodyLimitBytes }: AdminRouterDeps): Router {
  return createJsonApiRouter({ routes: ADMIN_ROUTES, services: admin, authenticate, bodyLimitBytes });
}

import express, { Router, type RequestHandler } from 'express';
import { requirePrincipal } from '../../auth/principal-request';
import { hubError } from '../../domain/errors';
import type { AdminService } from '../../services/admin';
import { ADMIN_ROUTES } from './admin-routes';

export interface AdminRouterDeps {
  readonly admin: AdminService;
  /** Authenticates every admin request (sets req.user) or fails with 401/429. */
  readonly authenticate: RequestHandler;
  /** Largest JSON body; a larger one is refused with 413. */
  readonly bodyLimitBytes: number;
}

/**
 * The admin API, mounted at ADMIN_API_PREFIX (route-table.ts). Handlers are parse -> service -> serialise; errors go to
 * the error middleware, which answers in the admin JSON form. A path that exists with another
 * method answers 405 with Allow. A body that is not JSON answers 415.
 */
export function createAdminRouter({ admin, authenticate, bodyLimitBytes }: AdminRouterDeps): Router {
  const router = Router();
  // Authentication first: an anonymous client gets 401 before the hub reads (and parses) its body.
  router.use(authenticate);
  router.use(express.json({ limit: bodyLimitBytes }));
  const methodsByPath = new Map<string, string[]>();
  for (const route of ADMIN_ROUTES) {
    router[route.method](route.path, requireJsonBody, async (req, res) => {
      const call = { params: req.params as Record<string, string>, query: req.query as Record<string, unknown>, body: req.body as unknown };
      const reply = await route.handle(admin, requirePrincipal(req), call);
      if (reply.body === undefined) res.status(reply.status).end();
      else res.status(reply.status).json(reply.body);
    });
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method.toUpperCase()]);
  }
  for (const [path, methods] of methodsByPath) {
    router.all(path, () => {
      throw hubError('METHOD_NOT_ALLOWED', { description: `use ${methods.join(', ')}`, allow: methods });
    });
  }
  return router;
}

/**
 * The JSON parser skips bodies of other types, which would then fail validation as a missing object;
 * say instead what is wrong with them. Requests without a body (GET, revoke) pass.
 */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const empty = req.headers['content-length'] === '0';
  if (!empty && req.is('application/json') === false) {
    const given = req.headers['content-type'];
    next(hubError('UNSUPPORTED_MEDIA_TYPE', `send the request body as application/json${given ? ` (not ${given})` : ''}`));
  } else next();
};

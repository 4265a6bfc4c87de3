import express, { Router, type RequestHandler } from 'express';
import { requirePrincipal } from '../../auth/principal-request';
import { hubError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';

/**
 * The hub's JSON APIs (the admin API and the hub API) are tables of routes: method, path, and a
 * handler that parses, calls a service and says what to answer. The same table serves HTTP and the
 * local CLI, which runs the handlers in-process.
 */

export interface JsonReply {
  readonly status: number;
  readonly body?: unknown;
}

/** What a route handler reads of a request: the same whether it came over HTTP or from the local CLI. */
export interface JsonCall {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

export type JsonMethod = 'get' | 'post' | 'patch' | 'delete';

export interface JsonRoute<S> {
  readonly method: JsonMethod;
  readonly path: string;
  readonly handle: (services: S, who: Principal, req: JsonCall) => Promise<JsonReply>;
}

export interface JsonApiRouterDeps<S> {
  readonly routes: readonly JsonRoute<S>[];
  readonly services: S;
  /** Authenticates every request (sets req.user) or fails with 401/429. */
  readonly authenticate: RequestHandler;
  /** Largest JSON body; a larger one is refused with 413. */
  readonly bodyLimitBytes: number;
}

/**
 * A router for one route table. Handlers are parse -> service -> serialise; errors go to the error
 * middleware, which answers in the JSON error form. A path that exists with another method answers
 * 405 with Allow. A body that is not JSON answers 415.
 */
export function createJsonApiRouter<S>({ routes, services, authenticate, bodyLimitBytes }: JsonApiRouterDeps<S>): Router {
  const router = Router();
  // Authentication first: an anonymous client gets 401 before the hub reads (and parses) its body.
  router.use(authenticate);
  router.use(express.json({ limit: bodyLimitBytes }));
  const methodsByPath = new Map<string, string[]>();
  for (const route of routes) {
    router[route.method](route.path, requireJsonBody, async (req, res) => {
      const call = { params: req.params as Record<string, string>, query: req.query as Record<string, unknown>, body: req.body as unknown };
      const reply = await route.handle(services, requirePrincipal(req), call);
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

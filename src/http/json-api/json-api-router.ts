import express, { Router, type RequestHandler } from 'express';
import { requirePrincipal } from '../../auth/principal-request';
import { hubError } from '../../domain/errors';
import { nonFiniteNumberProblems } from '../../validation/finite-numbers';
import { parseJsonBody } from '../body/json-body';
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
  // The bytes (413 over the limit), then the hub's own JSON reading: see ../body/json-body.ts.
  router.use(express.raw({ type: 'application/json', limit: bodyLimitBytes }), parseJsonApiBody);
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

/**
 * A JSON body as the handlers read it: UTF-8, nested at most MAX_JSON_DEPTH deep, no repeated key
 * (400), no NUL or lone surrogate (422), an object or array, and no number beyond a double (400
 * naming each place). An empty body reads as {} (as express.json read it); only UTF-8 is taken (415).
 */
const parseJsonApiBody: RequestHandler = (req, _res, next) => {
  const raw: unknown = req.body;
  if (!Buffer.isBuffer(raw)) {
    next();
    return;
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw hubError('UNSUPPORTED_MEDIA_TYPE', `send the request body as UTF-8 (not charset=${charset})`);
  }
  const body = raw.length === 0 ? {} : parseJsonBody(raw);
  if (typeof body !== 'object' || body === null) throw hubError('BAD_REQUEST', 'The request body must be a JSON object or array');
  const problems = nonFiniteNumberProblems(body);
  if (problems.length > 0) throw hubError('VALIDATION_FAILED', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
  req.body = body;
  next();
};

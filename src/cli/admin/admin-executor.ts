import { isHubError, type FieldProblem } from '../../domain/errors';
import { requestHub } from './hub-request';
import type { HubEndpoint } from './remote-hub';
import type { Principal } from '../../domain/principal';
import type { AdminService } from '../../services/admin';
import { ADMIN_ROUTES, type AdminMethod } from '../../http/admin/admin-routes';
import { HUB_API_ROUTES, type HubApiServices } from '../../http/hub-api/hub-api-routes';
import type { JsonRoute } from '../../http/json-api/json-api-router';
import { ADMIN_API_PREFIX, HUB_API_PREFIX } from '../../http/route-table';

/** One operation in the admin API's (or the hub API's) own terms: what the CLI asks, locally or over HTTP. */
export interface AdminRequest {
  /** Which API: the admin API (default) or the hub API (indicator lifecycle). */
  readonly api?: 'admin' | 'hub';
  readonly method: AdminMethod;
  readonly path: string; // relative to the API's prefix, e.g. /users/alice
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
}

export type AdminOutcome =
  | { readonly ok: true; readonly status: number; readonly body: unknown }
  | { readonly ok: false; readonly status: number; readonly title?: string; readonly message: string; readonly problems: readonly FieldProblem[] };

export interface AdminExecutor {
  execute(request: AdminRequest): Promise<AdminOutcome>;
  close(): Promise<void>;
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return undefined;
  }
  return params;
}

/** Runs the request with the first route of `routes` that matches it; undefined when none does. */
async function runRoute<S>(routes: readonly JsonRoute<S>[], services: S, who: Principal, request: AdminRequest): Promise<AdminOutcome | undefined> {
  for (const route of routes) {
    if (route.method !== request.method) continue;
    const params = matchPath(route.path, request.path);
    if (!params) continue;
    try {
      const reply = await route.handle(services, who, { params, query: request.query ?? {}, body: request.body });
      return { ok: true, status: reply.status, body: reply.body };
    } catch (error) {
      if (!isHubError(error)) throw error;
      return { ok: false, status: error.httpStatus, title: error.title, message: error.message, problems: error.details.problems ?? [] };
    }
  }
  return undefined;
}

/**
 * Runs admin (and hub API) requests in this process against the store, as the local operator: the
 * same route handlers, validation, permissions and audit as the HTTP APIs.
 */
export function localExecutor(admin: AdminService, hub: HubApiServices, who: Principal, close: () => Promise<void>): AdminExecutor {
  return {
    async execute(request) {
      const outcome = request.api === 'hub' ? await runRoute(HUB_API_ROUTES, hub, who, request) : await runRoute(ADMIN_ROUTES, admin, who, request);
      return outcome ?? { ok: false, status: 404, message: `no ${request.api === 'hub' ? 'hub API' : 'admin'} operation ${request.method.toUpperCase()} ${request.path}`, problems: [] };
    },
    close,
  };
}

/** Sends admin (and hub API) requests to a running hub. */
export function remoteExecutor(hub: HubEndpoint): AdminExecutor {
  const base = hub.url.replace(/\/+$/, '');
  return {
    async execute(request) {
      const url = new URL(base + (request.api === 'hub' ? HUB_API_PREFIX : ADMIN_API_PREFIX) + request.path);
      for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
      const answer = await requestHub(hub, url, {
        method: request.method.toUpperCase(),
        headers: { accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      return answer.ok
        ? { ok: true, status: answer.status, body: answer.body }
        : { ok: false, status: answer.status, ...(answer.error.title !== undefined ? { title: answer.error.title } : {}), message: answer.error.message, problems: answer.error.problems };
    },
    close: async () => {},
  };
}

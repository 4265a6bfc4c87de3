/**
 * Where each part of the HTTP surface is mounted. The TAXII 2.1 paths live in taxii21/paths.ts; the
 * admin API's own paths live in its router, relative to ADMIN_API_PREFIX. openapi.yaml is checked
 * against the routes these produce (test/openapi.test.ts).
 */

/** Operations endpoints, unauthenticated (restrict /metrics by network in production). */
export const OPS_PATHS = {
  health: '/healthz',
  ready: '/readyz',
  metrics: '/metrics',
} as const;

export const ADMIN_API_PREFIX = '/admin/api';

/** The hub API: providers' unified submissions and indicator lifecycle, next to TAXII. */
export const HUB_API_PREFIX = '/api';

/** The web console (its page, bundle and session: http/console/). */
export const CONSOLE_PREFIX = '/console';

/** The TAXII 1.1 services (their paths live in taxii11/paths.ts). */
export const TAXII11_PREFIX = '/taxii1';

/** Which error form a request gets: the admin and hub APIs and the console answer JSON, /taxii1 a TAXII 1.1 Status_Message, everything else TAXII 2.1. */
export type ErrorProtocol = 'admin' | 'taxii11' | 'taxii21';

const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

export function errorProtocolFor(path: string): ErrorProtocol {
  if (under(path, ADMIN_API_PREFIX) || under(path, HUB_API_PREFIX) || under(path, CONSOLE_PREFIX)) return 'admin';
  return under(path, TAXII11_PREFIX) ? 'taxii11' : 'taxii21';
}

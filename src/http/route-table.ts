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

/** Which error form a request gets: the admin and hub APIs answer JSON, everything else speaks TAXII 2.1. */
export type ErrorProtocol = 'admin' | 'taxii21';

const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

export function errorProtocolFor(path: string): ErrorProtocol {
  return under(path, ADMIN_API_PREFIX) || under(path, HUB_API_PREFIX) ? 'admin' : 'taxii21';
}

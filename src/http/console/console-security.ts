import type { Request, Response } from 'express';
import { SESSION_COOKIE, sessionTokenOf } from '../../auth/session-cookie';

/**
 * The console's response headers. Its pages run only the hub's own bundled script and style: no
 * inline script or style, no eval, no other origin (fonts included), no framing, no plugins.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** The header the console's fetch wrapper sends on every call (see console/src/api.ts). */
export const CONSOLE_CLIENT_HEADER = 'x-requested-with';
export const CONSOLE_CLIENT_VALUE = 'taxii-hub-console';

export function setConsoleSecurityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/**
 * Whether a 401 goes to the console rather than to a machine client: then it carries no
 * WWW-Authenticate Basic challenge, which would make the browser open its own password dialog
 * over the console's sign-in page.
 */
export function isConsoleRequest(req: Pick<Request, 'headers' | 'originalUrl'>): boolean {
  const path = req.originalUrl.split('?')[0] ?? '';
  if (path === '/console' || path.startsWith('/console/')) return true;
  if (req.headers[CONSOLE_CLIENT_HEADER] === CONSOLE_CLIENT_VALUE) return true;
  return req.headers.authorization === undefined && sessionTokenOf(req) !== undefined;
}

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it), Path=/ (the console calls /api and /admin/api), and Secure when the request came over https
 * (directly, or through a proxy trusted by `trust proxy`). A hub served over plain http (a
 * development hub on localhost) sets it without Secure, or the browser would never send it back.
 */
export function sessionCookie(req: Pick<Request, 'secure'>, token: string, maxAgeSeconds: number): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`, ...(req.secure ? ['Secure'] : [])].join('; ');
}

export function clearedSessionCookie(req: Pick<Request, 'secure'>): string {
  return sessionCookie(req, '', 0);
}

import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { hubError } from '../domain/errors';
import type { Principal } from '../domain/principal';

/**
 * The web console's session cookie as the authenticator reads it. The cookie is a credential only
 * for requests without an Authorization header (machines keep Basic and API keys); when it is the
 * credential, every unsafe method must carry the session's CSRF token in X-CSRF-Token, which a page
 * of another origin cannot read, so a forged form or fetch from elsewhere is refused (403).
 */

export const SESSION_COOKIE = 'taxii_hub_session';
export const CSRF_HEADER = 'x-csrf-token';

/** What the authenticator needs of the session service. */
export interface SessionResolver {
  resolve(token: string): Promise<{ readonly principal: Principal; readonly csrfToken: string } | undefined>;
}

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session token from the Cookie header, if one is there. */
export function sessionTokenOf(req: Pick<Request, 'headers'>): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

export function csrfRefused() {
  return hubError('FORBIDDEN', { description: `A request signed in by the console's session cookie must send the session's CSRF token in the ${CSRF_HEADER} header (GET /console/session gives it)` });
}

/** Compares a presented CSRF token with the session's, in constant time. */
export function csrfTokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Authenticator } from '../../auth/authenticator';
import { csrfTokenMatches, CSRF_HEADER, csrfRefused, sessionTokenOf } from '../../auth/session-cookie';
import { hubError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import type { ConsoleSessionService } from '../../services/console-sessions/console-session-service';
import { parseJsonBody } from '../body/json-body';
import { clearedSessionCookie, sessionCookie } from './console-security';
import { parseSignIn } from './sign-in-body';

/**
 * The console's session: GET (who is signed in, and the CSRF token), POST (sign in with a username
 * and password, checked exactly as Basic authentication checks them, login throttle included),
 * DELETE (sign out: the session is deleted on the hub, the cookie cleared).
 */

export interface SessionRouteDeps {
  readonly sessions: ConsoleSessionService;
  readonly authenticator: Pick<Authenticator, 'checkPassword'>;
}

const sessionJson = (who: Principal, csrfToken: string, expiresAt: Date, idleSeconds: number) => ({
  user_id: who.userId,
  username: who.username,
  organization: who.organizationId,
  roles: [...who.roles].sort(),
  csrf_token: csrfToken,
  expires_at: expiresAt.toISOString(),
  idle_timeout_seconds: idleSeconds,
});

const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

export function sessionRoutes({ sessions, authenticator }: SessionRouteDeps): Router {
  const router = Router();
  const idleSeconds = Math.round(sessions.times.idleMs / 1000);
  const ended = () => hubError('AUTHENTICATION_REQUIRED', { description: 'Not signed in to the console (or the session has ended)' });

  router.get('/session', async (req, res) => {
    noStore(res);
    const token = sessionTokenOf(req);
    const live = token === undefined ? undefined : await sessions.resolve(token);
    if (!live) throw ended();
    res.json(sessionJson(live.principal, live.csrfToken, live.expiresAt, idleSeconds));
  });

  router.post('/session', sameOrigin, express.raw({ type: () => true, limit: 8 * 1024 }), async (req, res) => {
    noStore(res);
    if (!req.is('application/json')) throw hubError('UNSUPPORTED_MEDIA_TYPE', 'send the sign-in as application/json: {"username": "...", "password": "..."}');
    const body = parseSignIn(Buffer.isBuffer(req.body) && req.body.length > 0 ? parseJsonBody(req.body) : undefined);
    const outcome = await authenticator.checkPassword(body.username, body.password, req);
    if (outcome.outcome === 'throttled') {
      throw hubError('TOO_MANY_REQUESTS', { retryAfter: outcome.retryAfterSeconds, description: 'Too many failed sign-in attempts; retry later' });
    }
    if (outcome.outcome === 'rejected') throw hubError('AUTHENTICATION_REQUIRED', { description: 'Wrong username or password' });
    // A sign-in over a live session replaces it: the old token is deleted, never reused.
    const previous = sessionTokenOf(req);
    if (previous !== undefined) await sessions.signOut(previous);
    const issued = await sessions.signIn(outcome.principal);
    res.setHeader('Set-Cookie', sessionCookie(req, issued.token, Math.floor(sessions.times.lifetimeMs / 1000)));
    res.status(201).json(sessionJson(outcome.principal, issued.csrfToken, issued.expiresAt, idleSeconds));
  });

  router.delete('/session', async (req, res) => {
    noStore(res);
    const token = sessionTokenOf(req);
    const live = token === undefined ? undefined : await sessions.resolve(token);
    if (token !== undefined && live) {
      const presented = req.headers[CSRF_HEADER];
      if (!csrfTokenMatches(live.csrfToken, typeof presented === 'string' ? presented : undefined)) throw csrfRefused();
      await sessions.signOut(token);
    }
    res.setHeader('Set-Cookie', clearedSessionCookie(req));
    res.status(204).end();
  });
  return router;
}

/**
 * A sign-in must come from a page of this hub. The JSON content type already makes a browser ask
 * before sending it cross-site (a CORS preflight the hub never grants); an Origin naming another
 * host is refused outright as well (login CSRF: signing a victim in as the attacker).
 */
const sameOrigin: RequestHandler = (req: Request, _res, next) => {
  const origin = req.headers.origin;
  if (origin === undefined || hostOf(origin) === req.headers.host) next();
  else next(hubError('FORBIDDEN', { description: 'A console sign-in must come from the hub\'s own pages (the Origin header names another site)' }));
};

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

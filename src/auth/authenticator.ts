import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import passport from 'passport';
import { BasicStrategy } from 'passport-http';
import { hubError } from '../domain/errors';
import type { Principal } from '../domain/principal';
import { ApiKeyStrategy } from './api-key-strategy';
import { basicCredentialsOf } from './basic-credentials';
import { authChallenge, DEFAULT_REALM } from './challenge';
import { apiKeyOwner, createCredentialCheck, userOwner, type CredentialOutcome, type VerifySecret } from './credential-check';
import type { CredentialSource } from './credential-source';
import type { LoginThrottle } from './login-throttle';
import { MemoryLoginThrottle } from './memory-login-throttle';
import { hashSecret, verifySecret } from './secret-hashing';
import { localSocketPrincipalOf } from './local-socket-principal';
import { csrfRefused, csrfTokenMatches, CSRF_HEADER, SAFE_METHODS, sessionTokenOf, type SessionResolver } from './session-cookie';
import './principal-request';
import { createThrottleWarnings, type WarningLogger } from './throttle-warnings';
import { createVerificationCache, DEFAULT_CACHE_TTL_MS } from './verification-cache';

/**
 * The request authenticator: `Authorization: Basic` (what TAXII clients send) through passport-http,
 * `Bearer`/`Token` API keys through our own strategy, both ending in one Principal on req.user.
 * Every failure, whatever its cause, is the same AUTHENTICATION_REQUIRED error; the error middleware
 * renders it as a 401 with `authChallenge(realm)`.
 */

export interface AuthenticatorDeps {
  readonly credentials: CredentialSource;
  readonly realm?: string;
  /** How long a successful verification is remembered; 0 disables the cache. Default 5 minutes. */
  readonly cacheTtlMs?: number;
  readonly cacheMaxEntries?: number;
  /** Counts failed attempts; defaults to this process's memory with the default limits. */
  readonly throttle?: LoginThrottle;
  /** Where refused attempts are reported (at warn); none when absent. */
  readonly logger?: WarningLogger;
  readonly now?: () => number;
  /** The Argon2 verification; a seam so tests can count verifications. Defaults to verifySecret. */
  readonly verify?: VerifySecret;
  /** The web console's sessions: their cookie is accepted when a request has no Authorization header. */
  readonly sessions?: SessionResolver;
}

export interface Authenticator {
  readonly middleware: RequestHandler;
  /** The WWW-Authenticate value for this authenticator's realm. */
  readonly challenge: string;
  /** Drops cached verifications of the user's password and of the user's API keys. */
  forgetUser(userId: string): void;
  forgetApiKey(keyId: string): void;
  /** A username and password checked as Basic checks them (same cache and login throttle): the console's sign-in. */
  checkPassword(username: string, password: string, req: Request): Promise<CredentialOutcome>;
}

type StrategyName = 'basic' | 'api-key';

export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const realm = deps.realm ?? DEFAULT_REALM;
  const now = deps.now ?? Date.now;
  const cache = createVerificationCache({
    ttlMs: deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    ...(deps.cacheMaxEntries !== undefined && { maxEntries: deps.cacheMaxEntries }),
    now,
  });
  // Hashed up front so the first unknown username costs no more than later ones.
  const dummyHash = hashSecret(randomBytes(32).toString('base64url'));
  dummyHash.catch(() => undefined);
  const check = createCredentialCheck({
    credentials: deps.credentials,
    cache,
    throttle: deps.throttle ?? new MemoryLoginThrottle({}, now),
    ...(deps.logger && { onThrottled: createThrottleWarnings(deps.logger, { now }) }),
    verify: deps.verify ?? verifySecret,
    dummyHash: () => dummyHash,
    now,
  });

  const authenticator = new passport.Passport();
  authenticator.use(
    'basic',
    new BasicStrategy({ realm, passReqToCallback: true }, (req, _username, _truncatedPassword, done) => {
      // passport-http's password is cut at the second ':'; basic-credentials.ts says why and reads it whole.
      const credentials = basicCredentialsOf(req.headers.authorization);
      if (!credentials) {
        done(null, false);
        return;
      }
      check({ kind: 'basic', ...credentials }, clientAddress(req)).then(
        (outcome) => settle(outcome, done),
        (error: unknown) => done(error),
      );
    }),
  );
  authenticator.use(
    'api-key',
    new ApiKeyStrategy((req, token, done) => {
      check({ kind: 'api-key', token }, clientAddress(req)).then(
        (outcome) => settle(outcome, done),
        (error: unknown) => done(error),
      );
    }),
  );

  const middleware: RequestHandler = (req, res, next) => {
    // A request on the hub's local socket comes with its principal (local-socket-principal.ts); none over TCP does.
    const local = localSocketPrincipalOf(req);
    if (local) {
      req.user = local;
      next();
      return;
    }
    const strategy = strategyFor(req.headers.authorization);
    const sessionToken = req.headers.authorization === undefined ? sessionTokenOf(req) : undefined;
    if (!strategy && sessionToken !== undefined && deps.sessions) {
      authenticateSession(deps.sessions, sessionToken, req).then((principal) => {
        req.user = principal;
        next();
      }, next);
      return;
    }
    if (!strategy) {
      next(authenticationRequired());
      return;
    }
    const run: RequestHandler = authenticator.authenticate(
      strategy,
      { session: false },
      (error: unknown, principal?: Principal | false) => {
        if (error) next(error);
        else if (!principal) next(authenticationRequired());
        else {
          req.user = principal;
          next();
        }
      },
    );
    void run(req, res, next);
  };

  return {
    middleware,
    challenge: authChallenge(realm),
    forgetUser: (userId) => cache.forget(userOwner(userId)),
    forgetApiKey: (keyId) => cache.forget(apiKeyOwner(keyId)),
    checkPassword: (username, password, req) => check({ kind: 'basic', username, password }, clientAddress(req)),
  };
}

/** The console's session cookie as the credential: a live session, and its CSRF token on unsafe methods. */
async function authenticateSession(sessions: SessionResolver, token: string, req: Request): Promise<Principal> {
  const session = await sessions.resolve(token);
  if (!session) throw hubError('AUTHENTICATION_REQUIRED', { description: 'The console session has ended; sign in again' });
  const presented = req.headers[CSRF_HEADER];
  if (!SAFE_METHODS.has(req.method) && !csrfTokenMatches(session.csrfToken, typeof presented === 'string' ? presented : undefined)) throw csrfRefused();
  return session.principal;
}

function settle(outcome: CredentialOutcome, done: (error: unknown, principal?: Principal | false) => void): void {
  switch (outcome.outcome) {
    case 'authenticated':
      done(null, outcome.principal);
      return;
    case 'rejected':
      done(null, false);
      return;
    case 'throttled':
      done(
        hubError('TOO_MANY_REQUESTS', {
          retryAfter: outcome.retryAfterSeconds,
          description: 'Too many failed authentication attempts; retry later',
        }),
      );
  }
}

function authenticationRequired() {
  return hubError('AUTHENTICATION_REQUIRED', { description: 'Authentication required' });
}

function strategyFor(authorization: string | undefined): StrategyName | undefined {
  const scheme = authorization?.split(' ', 1)[0]?.toLowerCase();
  if (scheme === 'basic') return 'basic';
  if (scheme === 'bearer' || scheme === 'token') return 'api-key';
  return undefined;
}

function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

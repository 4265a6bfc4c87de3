import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../../domain/principal';
import type { User } from '../../domain/tenancy';
import type { ConsoleSessionStore } from '../../storage/console-session-store';

/**
 * The web console's sessions. Signing in (after the same password check as Basic authentication)
 * gives the browser a random 256-bit token; the hub stores only its SHA-256 digest. The CSRF token
 * the console sends back on unsafe requests is derived from the session token (another digest), so
 * it is stored nowhere and is worthless without the cookie. A session lasts at most `lifetimeMs`
 * and ends after `idleMs` without a request; a user's sessions end when the user is disabled,
 * deleted or its password changes.
 */

export interface ConsoleSessionTimes {
  /** Absolute lifetime of a session. Default 12 hours. */
  readonly lifetimeMs: number;
  /** A session not used for this long ends. Default 30 minutes. */
  readonly idleMs: number;
}

export const DEFAULT_CONSOLE_SESSION_TIMES: ConsoleSessionTimes = { lifetimeMs: 12 * 60 * 60 * 1000, idleMs: 30 * 60 * 1000 };

/** last_seen_at is written at most this often per session, not on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface IssuedSession {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export interface LiveSession {
  readonly principal: Principal;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export interface ConsoleSessionService {
  signIn(who: Principal): Promise<IssuedSession>;
  /** The session this token opens, or undefined when it is unknown, expired, idle too long, or its user cannot sign in. */
  resolve(token: string): Promise<LiveSession | undefined>;
  signOut(token: string): Promise<void>;
  /** Ends every session of the user (password changed, disabled, deleted). */
  endSessionsOf(userId: string): Promise<void>;
  readonly times: ConsoleSessionTimes;
}

export interface ConsoleSessionDeps {
  readonly store: ConsoleSessionStore;
  readonly userById: (userId: string) => Promise<User | undefined>;
  readonly times?: Partial<ConsoleSessionTimes>;
  readonly now?: () => number;
}

const digest = (purpose: string, token: string): string => createHash('sha256').update(`${purpose}\0${token}`).digest('base64url');
export const sessionTokenHash = (token: string): string => digest('console-session', token);
export const csrfTokenFor = (token: string): string => digest('console-csrf', token);

/** A session token as the hub issues it: 43 base64url characters. Anything else is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function createConsoleSessionService(deps: ConsoleSessionDeps): ConsoleSessionService {
  const times = { ...DEFAULT_CONSOLE_SESSION_TIMES, ...deps.times };
  const now = deps.now ?? Date.now;
  const idleSince = (at: number) => new Date(at - times.idleMs);
  return {
    times,
    async signIn(who) {
      const at = now();
      await deps.store.removeStale(new Date(at), idleSince(at)); // indexed; keeps the table to live sessions
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(at + times.lifetimeMs);
      await deps.store.insert({ tokenHash: sessionTokenHash(token), userId: who.userId, createdAt: new Date(at), lastSeenAt: new Date(at), expiresAt });
      return { token, csrfToken: csrfTokenFor(token), expiresAt };
    },
    async resolve(token) {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const at = now();
      const tokenHash = sessionTokenHash(token);
      const session = await deps.store.findLive(tokenHash, new Date(at), idleSince(at));
      if (!session) return undefined;
      const user = await deps.userById(session.userId);
      if (!user || user.disabled) return undefined;
      if (at - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await deps.store.touch(tokenHash, new Date(at));
      const principal: Principal = { userId: user.id, username: user.username, organizationId: user.organizationId, roles: new Set(user.roles), via: 'session' };
      return { principal, csrfToken: csrfTokenFor(token), expiresAt: session.expiresAt };
    },
    async signOut(token) {
      if (TOKEN_SHAPE.test(token)) await deps.store.remove(sessionTokenHash(token));
    },
    endSessionsOf: (userId) => deps.store.removeOfUser(userId),
  };
}

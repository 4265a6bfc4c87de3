import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { newApiKeyToken } from '../../src/auth/api-key-token';
import { createAuthenticator, type Authenticator, type AuthenticatorDeps } from '../../src/auth/authenticator';
import { requirePrincipal } from '../../src/auth/principal-request';
import { hashSecret, verifySecret } from '../../src/auth/secret-hashing';
import { isHubError } from '../../src/domain/errors';
import type { ApiKey, Role, User } from '../../src/domain/tenancy';
import type { Database } from '../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../src/storage/tenancy-store';
import { createCredentialService } from '../../src/services/credential-service';
import { openTestDatabase } from '../support/test-databases';

/**
 * A real PGlite store with one organization, a few users and API keys. Every secret is hashed once
 * here (Argon2 is slow on purpose), in parallel.
 */
export interface AuthWorld {
  readonly db: Database;
  readonly store: TenancyStore;
  readonly org: string;
  readonly alice: FixtureUser; // provider + consumer, password contains ':'
  readonly carol: FixtureUser & { readonly newPassword: string; readonly newPasswordHash: string }; // for password changes
  readonly dave: FixtureUser; // disabled
  readonly keys: { readonly active: FixtureKey; readonly revoked: FixtureKey; readonly expired: FixtureKey; readonly revocable: FixtureKey };
}

export interface FixtureUser {
  readonly user: User;
  readonly password: string;
}

export interface FixtureKey {
  readonly key: ApiKey;
  readonly token: string;
}

export async function createAuthWorld(): Promise<AuthWorld> {
  const db = await openTestDatabase('pglite');
  const store = createSqlTenancyStore(db);
  const org = 'acme';
  await store.organizations.insert({ id: org, name: 'Acme', parentId: null, managedBy: 'admin' });

  const passwords = { alice: 'correct:horse:battery', carol: 'carol-first', carolNew: 'carol-second', dave: 'dave-pass' };
  const tokens = { active: newApiKeyToken(), revoked: newApiKeyToken(), expired: newApiKeyToken(), revocable: newApiKeyToken() };
  const [aliceHash, carolHash, carolNewHash, daveHash, activeHash, revokedHash, expiredHash, revocableHash] = await Promise.all(
    [
      passwords.alice,
      passwords.carol,
      passwords.carolNew,
      passwords.dave,
      tokens.active.secret,
      tokens.revoked.secret,
      tokens.expired.secret,
      tokens.revocable.secret,
    ].map(hashSecret),
  );

  const addUser = async (username: string, roles: Role[], hash: string | undefined, disabled = false): Promise<User> => {
    const user: User = { id: randomUUID(), username, organizationId: org, roles, disabled, managedBy: 'admin' };
    await store.users.insert(user);
    await store.users.setPasswordHash(user.id, hash ?? null);
    return user;
  };
  const alice = await addUser('alice', ['provider', 'consumer'], aliceHash);
  const carol = await addUser('carol', ['consumer'], carolHash);
  const dave = await addUser('dave', ['consumer'], daveHash, true);

  const hour = 3_600_000;
  const addKey = async (
    token: { id: string; token: string },
    hash: string | undefined,
    times: Pick<ApiKey, 'expiresAt' | 'revokedAt'>,
  ): Promise<FixtureKey> => {
    const key: ApiKey = { id: token.id, userId: alice.id, name: `key ${token.id}`, createdAt: new Date(Date.now() - hour), ...times };
    await store.apiKeys.insert(key, hash ?? '');
    return { key, token: token.token };
  };
  const keys = {
    active: await addKey(tokens.active, activeHash, { expiresAt: new Date(Date.now() + 24 * hour), revokedAt: null }),
    revoked: await addKey(tokens.revoked, revokedHash, { expiresAt: null, revokedAt: new Date(Date.now() - hour / 2) }),
    expired: await addKey(tokens.expired, expiredHash, { expiresAt: new Date(Date.now() - hour / 2), revokedAt: null }),
    revocable: await addKey(tokens.revocable, revocableHash, { expiresAt: null, revokedAt: null }),
  };

  return {
    db,
    store,
    org,
    alice: { user: alice, password: passwords.alice },
    carol: { user: carol, password: passwords.carol, newPassword: passwords.carolNew, newPasswordHash: carolNewHash ?? '' },
    dave: { user: dave, password: passwords.dave },
    keys,
  };
}

export interface AuthApp {
  readonly app: Express;
  readonly authenticator: Authenticator;
  /** How many Argon2 verifications the authenticator has run. */
  verifications(): number;
}

/**
 * A tiny app: the authenticator, one route answering with the principal, and a minimal error
 * handler that renders a HubError's status, Retry-After and the challenge like the real one does.
 */
export function authApp(store: TenancyStore, deps: Partial<AuthenticatorDeps> = {}): AuthApp {
  let verifications = 0;
  const authenticator = createAuthenticator({
    credentials: createCredentialService(store),
    verify: async (hash, plain) => {
      verifications += 1;
      return verifySecret(hash, plain);
    },
    ...deps,
  });
  const app = express();
  app.set('trust proxy', true); // lets tests pose as different client addresses via X-Forwarded-For
  app.use(authenticator.middleware);
  app.get('/whoami', (req, res) => {
    const principal = requirePrincipal(req);
    res.json({ ...principal, roles: [...principal.roles].sort() });
  });
  const renderError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    if (!isHubError(error)) {
      res.status(500).json({ title: 'Internal server error' });
      return;
    }
    if (error.code === 'AUTHENTICATION_REQUIRED') res.set('WWW-Authenticate', authenticator.challenge);
    if (error.details.retryAfter !== undefined) res.set('Retry-After', String(error.details.retryAfter));
    res.status(error.httpStatus).json({ title: error.title, description: error.details.description });
  };
  app.use(renderError);
  return { app, authenticator, verifications: () => verifications };
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

import { createHash } from 'node:crypto';
import type { Principal } from '../domain/principal';
import type { ApiKey, User } from '../domain/tenancy';
import { parseApiKeyToken } from './api-key-token';
import type { CredentialSource } from './credential-source';
import type { FailureThrottle } from './failure-throttle';
import type { CredentialClaim, VerificationCache } from './verification-cache';

/**
 * Decides one presented credential, whatever strategy read it: throttle → look up → verify (or a
 * cache hit) → account state → Principal. Unknown identities cost the same Argon2 verify as wrong
 * secrets (against a dummy hash), so neither the answer nor its timing tells whether a user exists.
 */

export type PresentedCredential =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'api-key'; readonly token: string };

export type CredentialOutcome =
  | { readonly outcome: 'authenticated'; readonly principal: Principal }
  | { readonly outcome: 'rejected' }
  | { readonly outcome: 'throttled'; readonly retryAfterSeconds: number };

export type VerifySecret = (storedHash: string, plain: string) => Promise<boolean>;

export interface CredentialCheckDeps {
  readonly credentials: CredentialSource;
  readonly cache: VerificationCache;
  readonly throttle: FailureThrottle;
  readonly verify: VerifySecret;
  /** A hash of a random secret nobody knows, verified against when there is no real hash. */
  readonly dummyHash: () => Promise<string>;
  readonly now: () => number;
}

export type CredentialCheck = (presented: PresentedCredential, ip: string) => Promise<CredentialOutcome>;

/** What was found for a claim: the stored hash to verify and the account it would authenticate. */
interface Candidate {
  readonly storedHash: string | null;
  readonly user: User;
  readonly key?: ApiKey;
  /** Cache owners, so forgetUser/forgetApiKey can drop what this success recorded. */
  readonly owners: readonly string[];
}

export function createCredentialCheck(deps: CredentialCheckDeps): CredentialCheck {
  async function candidateFor(claim: CredentialClaim): Promise<Candidate | undefined> {
    // No stored name contains NUL (PostgreSQL text cannot), and the driver would reject it as an error.
    if (claim.identity.includes('\0')) return undefined;
    if (claim.kind === 'basic') {
      const found = await deps.credentials.userByUsername(claim.identity);
      return found && { storedHash: found.passwordHash, user: found.user, owners: [userOwner(found.user.id)] };
    }
    const found = await deps.credentials.apiKeyById(claim.identity);
    return (
      found && {
        storedHash: found.secretHash,
        user: found.user,
        key: found.key,
        owners: [apiKeyOwner(found.key.id), userOwner(found.user.id)],
      }
    );
  }

  async function secretMatches(claim: CredentialClaim, candidate: Candidate | undefined): Promise<boolean> {
    const storedHash = candidate?.storedHash;
    if (!candidate || !storedHash) {
      await deps.verify(await deps.dummyHash(), claim.secret);
      return false;
    }
    if (deps.cache.isVerified(claim, storedHash)) return true;
    const verified = await deps.verify(storedHash, claim.secret);
    if (verified) deps.cache.remember(claim, storedHash, candidate.owners);
    return verified;
  }

  return async (presented, ip) => {
    const claim = claimOf(presented);
    const attempt = { ip, ...(claim && { identity: throttleIdentity(claim) }) };
    const verdict = deps.throttle.check(attempt);
    if (!verdict.allowed) return { outcome: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds };

    if (!claim) {
      // A malformed API key: nothing to look up, but answer as slowly as for a wrong one.
      await deps.verify(await deps.dummyHash(), '');
      deps.throttle.recordFailure(attempt);
      return { outcome: 'rejected' };
    }
    const candidate = await candidateFor(claim);
    const matches = await secretMatches(claim, candidate);
    if (!candidate || !matches || !isUsable(candidate, deps.now())) {
      deps.throttle.recordFailure(attempt);
      return { outcome: 'rejected' };
    }
    deps.throttle.recordSuccess(attempt);
    return { outcome: 'authenticated', principal: principalOf(candidate) };
  };
}

export function userOwner(userId: string): string {
  return `user:${userId}`;
}

export function apiKeyOwner(keyId: string): string {
  return `api-key:${keyId}`;
}

function claimOf(presented: PresentedCredential): CredentialClaim | undefined {
  if (presented.kind === 'basic') {
    return { kind: 'basic', identity: presented.username, secret: presented.password };
  }
  const parsed = parseApiKeyToken(presented.token);
  return parsed && { kind: 'api-key', identity: parsed.id, secret: parsed.secret };
}

/** Long claimed usernames are digested so a flood of them cannot bloat the throttle's memory. */
function throttleIdentity(claim: CredentialClaim): string {
  const identity =
    claim.identity.length <= 128 ? claim.identity : createHash('sha256').update(claim.identity).digest('base64');
  return `${claim.kind}:${identity}`;
}

function isUsable(candidate: Candidate, now: number): boolean {
  if (candidate.user.disabled) return false;
  const key = candidate.key;
  if (!key) return true;
  if (key.userId !== candidate.user.id || key.revokedAt !== null) return false;
  return key.expiresAt === null || key.expiresAt.getTime() > now;
}

function principalOf(candidate: Candidate): Principal {
  const { user, key } = candidate;
  const base = {
    userId: user.id,
    username: user.username,
    organizationId: user.organizationId,
    roles: new Set(user.roles),
  };
  return key ? { ...base, via: 'api-key', apiKeyId: key.id } : { ...base, via: 'basic' };
}

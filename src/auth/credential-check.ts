import { createHash } from 'node:crypto';
import type { Principal } from '../domain/principal';
import type { ApiKey, User } from '../domain/tenancy';
import { parseApiKeyToken } from './api-key-token';
import type { CredentialSource } from './credential-source';
import type { AttemptOutcome, LoginAttempt, LoginThrottle } from './login-throttle';
import { throttleAddressOf } from './throttle-address';
import type { ThrottledAttempt } from './throttle-warnings';
import type { CredentialClaim, VerificationCache } from './verification-cache';

/**
 * Decides one presented credential, whatever strategy read it: look up → a cache hit, or a slot from
 * the login throttle → verify → account state → Principal, and the slot settled with the outcome.
 * Unknown identities cost the same Argon2 verify as wrong secrets (against a dummy hash) and are
 * counted by the throttle like them, so neither the answer nor its timing tells whether a user exists.
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
  readonly throttle: LoginThrottle;
  /** Told about every attempt the throttle refuses (the authenticator logs them). */
  readonly onThrottled?: (attempt: ThrottledAttempt) => void;
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
    const candidate = claim && (await candidateFor(claim));
    // A credential verified moments ago is no guess: it passes without touching the throttle.
    if (claim && candidate?.storedHash && isUsable(candidate, deps.now()) && deps.cache.isVerified(claim, candidate.storedHash)) {
      return { outcome: 'authenticated', principal: principalOf(candidate) };
    }

    const attempt: LoginAttempt = { scheme: presented.kind, account: throttleAccount(claim), address: throttleAddressOf(ip) };
    const reservation = await deps.throttle.reserve(attempt);
    if (!reservation.granted) {
      deps.onThrottled?.({ ...attempt, clientAddress: ip, reason: reservation.reason, retryAfterSeconds: reservation.retryAfterSeconds });
      return { outcome: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds };
    }
    let outcome: AttemptOutcome = 'abandoned';
    try {
      // A malformed API key has nothing to look up, but is answered as slowly as a wrong one.
      const matches = claim ? await secretMatches(claim, candidate) : (await deps.verify(await deps.dummyHash(), ''), false);
      const authenticated = matches && candidate !== undefined && isUsable(candidate, deps.now());
      outcome = authenticated ? 'succeeded' : 'failed';
      return authenticated ? { outcome: 'authenticated', principal: principalOf(candidate) } : { outcome: 'rejected' };
    } finally {
      await reservation.settle(outcome);
    }
  };
}

/** The account malformed API keys are counted under (a key id is 16 hex digits, so no key has it). */
const MALFORMED_API_KEY = '(malformed)';

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

/** The account an attempt is counted for; long claimed usernames are digested so a flood of them cannot bloat the counters. */
function throttleAccount(claim: CredentialClaim | undefined): string {
  if (!claim) return MALFORMED_API_KEY;
  return claim.identity.length <= 128 ? claim.identity : `sha256:${createHash('sha256').update(claim.identity).digest('base64')}`;
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

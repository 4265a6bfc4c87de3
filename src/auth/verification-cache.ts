import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Remembers recent successful secret verifications so that TAXII clients, which send Basic
 * credentials on every request, do not pay an Argon2 verify per request.
 *
 * An entry is keyed by HMAC-SHA256(process-random key, kind \0 identity \0 secret): the plaintext is
 * never stored, and the key dies with the process, so the digests are useless elsewhere. An entry
 * only counts while it is fresh AND the hash currently stored for the identity is the one that was
 * verified (compared by fingerprint), so a password change or key rotation invalidates it at once.
 */

export type CredentialKind = 'basic' | 'api-key';

export interface CredentialClaim {
  readonly kind: CredentialKind;
  /** The username (basic) or the key id (api-key). */
  readonly identity: string;
  readonly secret: string;
}

export interface VerificationCacheOptions {
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

export interface VerificationCache {
  /** True when this exact claim was verified against `storedHash` within the TTL. */
  isVerified(claim: CredentialClaim, storedHash: string): boolean;
  /** Records a successful verification; `owners` are the ids `forget` can later drop it by. */
  remember(claim: CredentialClaim, storedHash: string, owners: readonly string[]): void;
  /** Drops every entry recorded for this owner (e.g. `user:<id>`, `api-key:<id>`). */
  forget(owner: string): void;
  readonly size: number;
}

export const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;

interface Entry {
  readonly fingerprint: Buffer;
  readonly expiresAt: number;
  readonly owners: readonly string[];
}

export function createVerificationCache(options: VerificationCacheOptions = {}): VerificationCache {
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  const key = randomBytes(32);
  // Map iteration order is insertion order, so the first key is the oldest entry.
  const entries = new Map<string, Entry>();
  const byOwner = new Map<string, Set<string>>();

  const digestOf = (claim: CredentialClaim): string =>
    createHmac('sha256', key).update(`${claim.kind}\0${claim.identity}\0${claim.secret}`).digest('base64');

  function drop(digest: string): void {
    const entry = entries.get(digest);
    if (!entry) return;
    entries.delete(digest);
    for (const owner of entry.owners) {
      const digests = byOwner.get(owner);
      digests?.delete(digest);
      if (digests?.size === 0) byOwner.delete(owner);
    }
  }

  return {
    isVerified(claim, storedHash) {
      if (ttlMs <= 0) return false;
      const digest = digestOf(claim);
      const entry = entries.get(digest);
      if (!entry) return false;
      if (entry.expiresAt <= now() || !timingSafeEqual(entry.fingerprint, fingerprintOf(storedHash))) {
        drop(digest);
        return false;
      }
      return true;
    },
    remember(claim, storedHash, owners) {
      if (ttlMs <= 0 || maxEntries <= 0) return;
      const digest = digestOf(claim);
      drop(digest); // re-inserting moves it to the young end
      entries.set(digest, { fingerprint: fingerprintOf(storedHash), expiresAt: now() + ttlMs, owners });
      for (const owner of owners) {
        const digests = byOwner.get(owner) ?? new Set<string>();
        digests.add(digest);
        byOwner.set(owner, digests);
      }
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        drop(oldest.value);
      }
    },
    forget(owner) {
      for (const digest of [...(byOwner.get(owner) ?? [])]) drop(digest);
    },
    get size() {
      return entries.size;
    },
  };
}

function fingerprintOf(storedHash: string): Buffer {
  return createHash('sha256').update(storedHash).digest();
}

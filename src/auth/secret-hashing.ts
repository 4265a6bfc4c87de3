import { hash, verify, Algorithm } from '@node-rs/argon2';

/**
 * Passwords and API key secrets are hashed with Argon2id (memory-hard) and stored as PHC strings.
 * Parameters follow OWASP's baseline (19 MiB, 2 passes, 1 lane). Verification is constant-time in
 * the library, and reads the parameters from the stored hash.
 */
export interface HashingCost {
  /** KiB of memory. */
  readonly memoryCost: number;
  /** Passes over the memory. */
  readonly timeCost: number;
  /** Lanes. */
  readonly parallelism: number;
}

/** The cost of every hash the hub makes. */
export const HASHING_COST: HashingCost = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

let cost: HashingCost = HASHING_COST;

/**
 * For test suites only (test/support/cheap-password-hashing.ts): hashes made from now on, in this
 * module instance, use `next` instead of HASHING_COST, so the hundreds of hashes a test run makes do
 * not cost 50 ms of CPU each. Verification is unchanged, so hashes made at HASHING_COST still verify.
 * Nothing in the hub calls this.
 */
export function setHashingCostForTests(next: HashingCost): void {
  cost = next;
}

export async function hashSecret(plain: string): Promise<string> {
  return hash(plain, { algorithm: Algorithm.Argon2id, ...cost });
}

export async function verifySecret(phcHash: string, plain: string): Promise<boolean> {
  try {
    return await verify(phcHash, plain);
  } catch {
    return false; // a malformed stored hash never verifies
  }
}

export function looksLikePhcHash(value: string): boolean {
  return /^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.test(value);
}

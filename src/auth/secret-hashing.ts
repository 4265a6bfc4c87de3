import { hash, verify, Algorithm } from '@node-rs/argon2';

/**
 * Passwords and API key secrets are hashed with Argon2id (memory-hard) and stored as PHC strings.
 * Parameters follow OWASP's baseline (19 MiB, 2 passes, 1 lane). Verification is constant-time in
 * the library.
 */
const PARAMS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export async function hashSecret(plain: string): Promise<string> {
  return hash(plain, PARAMS);
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

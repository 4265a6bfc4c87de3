import { randomBytes } from 'node:crypto';

/**
 * An API key as presented by a client: `thk_<id>_<secret>`. The id (public, 16 hex chars) finds the
 * stored key; the secret (32 random bytes, base64url) is verified against its hash. Only the hash
 * is stored; the token is shown once, at creation.
 */
const PREFIX = 'thk_';
const TOKEN_PATTERN = /^thk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyToken {
  readonly id: string;
  readonly secret: string;
  readonly token: string;
}

export function newApiKeyToken(): ApiKeyToken {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `${PREFIX}${id}_${secret}` };
}

export function parseApiKeyToken(token: string): { id: string; secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(token.trim());
  if (!match) return undefined;
  return { id: match[1] as string, secret: match[2] as string };
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretStore } from '../../../storage/secret-store';

/**
 * A forward's credentials for the remote TAXII 2.1 server: HTTP Basic, a bearer token, or an API key
 * in a header of the remote's choosing. The hub needs them in clear text to send them, so they are
 * kept sealed, not hashed: AES-256-GCM under the hub secret `forward-credentials-key` (hub_secrets,
 * made by the first process that needs it), with the forward id as associated data, so a sealed value
 * copied to another forward does not open. This keeps them out of reach of whoever reads the
 * forward_targets table alone (an export, a support query, a logged row); someone holding the whole
 * database holds the key too, so the database itself stays a secret. They are never returned by the
 * API, never logged, and never put in a last_error.
 */

export type ForwardCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'header'; readonly name: string; readonly value: string };

export const FORWARD_KEY_NAME = 'forward-credentials-key';
const SEALED_PREFIX = 'v1';

export interface CredentialBox {
  seal(forwardId: string, credentials: ForwardCredentials): Promise<string>;
  open(forwardId: string, sealed: string): Promise<ForwardCredentials>;
}

export function createCredentialBox(secrets: SecretStore): CredentialBox {
  let key: Promise<Buffer> | undefined;
  const loadKey = (): Promise<Buffer> => {
    key ??= secrets
      .getOrCreate(FORWARD_KEY_NAME, () => randomBytes(32).toString('base64'))
      .then((value) => Buffer.from(value, 'base64'))
      .catch((error: unknown) => {
        key = undefined; // a database hiccup must not poison every later delivery
        throw error;
      });
    return key;
  };
  return {
    async seal(forwardId, credentials) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', await loadKey(), iv);
      cipher.setAAD(Buffer.from(forwardId, 'utf8'));
      const sealed = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
      return [SEALED_PREFIX, iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    async open(forwardId, sealed) {
      const [prefix, iv, data, tag] = sealed.split('.');
      if (prefix !== SEALED_PREFIX || iv === undefined || data === undefined || tag === undefined) throw new Error(`the credentials of forward ${forwardId} are not sealed in a form this hub reads`);
      const decipher = createDecipheriv('aes-256-gcm', await loadKey(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(forwardId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')) as ForwardCredentials;
    },
  };
}

/** The request headers that carry the credentials. */
export function credentialHeaders(credentials: ForwardCredentials): Record<string, string> {
  switch (credentials.kind) {
    case 'none':
      return {};
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}` };
    case 'bearer':
      return { authorization: `Bearer ${credentials.token}` };
    case 'header':
      return { [credentials.name.toLowerCase()]: credentials.value };
  }
}

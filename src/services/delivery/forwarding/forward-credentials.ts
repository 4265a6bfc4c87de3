import type { SecretStore } from '../../../storage/secret-store';
import { createSealedTextBox } from '../outbound/sealed-secrets';

/**
 * A forward's credentials for the remote TAXII 2.1 server: HTTP Basic, a bearer token, or an API key
 * in a header of the remote's choosing. The hub needs them in clear text to send them, so they are
 * kept sealed, not hashed (outbound/sealed-secrets.ts) under the hub secret `forward-credentials-key`,
 * with the forward id as associated data. They are never returned by the API, never logged, and never
 * put in a last_error.
 */

export type ForwardCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'header'; readonly name: string; readonly value: string };

export const FORWARD_KEY_NAME = 'forward-credentials-key';

export interface CredentialBox {
  seal(forwardId: string, credentials: ForwardCredentials): Promise<string>;
  open(forwardId: string, sealed: string): Promise<ForwardCredentials>;
}

export function createCredentialBox(secrets: SecretStore): CredentialBox {
  const box = createSealedTextBox(secrets, FORWARD_KEY_NAME);
  return {
    seal: (forwardId, credentials) => box.seal(forwardId, JSON.stringify(credentials)),
    open: async (forwardId, sealed) => JSON.parse(await box.open(forwardId, sealed)) as ForwardCredentials,
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

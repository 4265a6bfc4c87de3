import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretStore } from '../../../storage/secret-store';

/**
 * Secrets the hub must send or sign with (webhook signing secrets, a forward's credentials for its
 * remote server) are kept sealed, not hashed: AES-256-GCM under a key kept in hub_secrets (made by
 * the first process that needs it), with the owner's id as associated data, so a sealed value copied
 * to another owner does not open. This keeps them out of reach of whoever reads their table alone
 * (an export, a support query, a logged row); someone holding the whole database holds the key too
 * (as with the TAXII `next`-token key), so the database itself stays a secret.
 *
 * Sealed text: `v1.<iv>.<ciphertext>.<tag>` (base64url parts).
 */

const SEALED_PREFIX = 'v1';

export interface SealedTextBox {
  seal(ownerId: string, text: string): Promise<string>;
  /** Throws when `sealed` is not in the form this hub writes or does not open for `ownerId`. */
  open(ownerId: string, sealed: string): Promise<string>;
}

/** A box sealing under the hub secret named `keyName`. */
export function createSealedTextBox(secrets: SecretStore, keyName: string): SealedTextBox {
  let key: Promise<Buffer> | undefined;
  const loadKey = (): Promise<Buffer> => {
    key ??= secrets
      .getOrCreate(keyName, () => randomBytes(32).toString('base64'))
      .then((value) => Buffer.from(value, 'base64'))
      .catch((error: unknown) => {
        key = undefined; // a database hiccup must not poison every later delivery
        throw error;
      });
    return key;
  };
  return {
    async seal(ownerId, text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', await loadKey(), iv);
      cipher.setAAD(Buffer.from(ownerId, 'utf8'));
      const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return [SEALED_PREFIX, iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    async open(ownerId, sealed) {
      const [prefix, iv, data, tag] = sealed.split('.');
      if (prefix !== SEALED_PREFIX || iv === undefined || data === undefined || tag === undefined) throw new Error(`the secret of ${ownerId} is not sealed in a form this hub reads`);
      const decipher = createDecipheriv('aes-256-gcm', await loadKey(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(ownerId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

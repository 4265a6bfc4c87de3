import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { SecretStore } from '../../../storage/secret-store';
import type { Webhook } from '../../../storage/webhook-store';

/**
 * Webhook secrets: made by the hub (32 random bytes, shown once as 64 hex digits), kept sealed, and
 * used to sign every request.
 *
 * At rest a secret is sealed with AES-256-GCM under the hub secret `webhook-secret-key` (hub_secrets,
 * made by the first process that needs it), with the webhook id as associated data, so a sealed value
 * copied to another webhook does not open. This keeps the secrets out of reach of whoever reads the
 * webhooks table alone (an export, a support query, a log of a row); someone holding the whole
 * database holds the key too (as with the TAXII `next`-token key), so the database stays a secret.
 *
 * The signature (`X-Hub-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`) is HMAC-SHA256 keyed with the
 * secret's text (the 64 hex digits as given, UTF-8) over `<t>.<body>`; one v1 per active secret.
 */

export const WEBHOOK_KEY_NAME = 'webhook-secret-key';
const SEALED_PREFIX = 'v1';

export function newWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}

export interface SecretBox {
  seal(webhookId: string, secret: string): Promise<string>;
  open(webhookId: string, sealed: string): Promise<string>;
}

export function createSecretBox(secrets: SecretStore): SecretBox {
  let key: Promise<Buffer> | undefined;
  const loadKey = (): Promise<Buffer> => {
    key ??= secrets
      .getOrCreate(WEBHOOK_KEY_NAME, () => randomBytes(32).toString('base64'))
      .then((value) => Buffer.from(value, 'base64'))
      .catch((error: unknown) => {
        key = undefined; // a database hiccup must not poison every later delivery
        throw error;
      });
    return key;
  };
  return {
    async seal(webhookId, secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', await loadKey(), iv);
      cipher.setAAD(Buffer.from(webhookId, 'utf8'));
      const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [SEALED_PREFIX, iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    async open(webhookId, sealed) {
      const [prefix, iv, data, tag] = sealed.split('.');
      if (prefix !== SEALED_PREFIX || iv === undefined || data === undefined || tag === undefined) throw new Error(`the secret of webhook ${webhookId} is not sealed in a form this hub reads`);
      const decipher = createDecipheriv('aes-256-gcm', await loadKey(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(webhookId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** The secrets that sign now: the current one, and the previous one until it retires. */
export async function signingSecrets(box: SecretBox, webhook: Webhook, now: Date): Promise<string[]> {
  const current = await box.open(webhook.id, webhook.sealedSecret);
  if (webhook.previous === undefined || webhook.previous.retiresAt.getTime() <= now.getTime()) return [current];
  return [current, await box.open(webhook.id, webhook.previous.sealedSecret)];
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` with one v1 per secret. */
export function signatureHeader(secrets: readonly string[], unixSeconds: number, body: string): string {
  const signed = `${unixSeconds}.${body}`;
  return [`t=${unixSeconds}`, ...secrets.map((secret) => `v1=${createHmac('sha256', secret).update(signed, 'utf8').digest('hex')}`)].join(',');
}

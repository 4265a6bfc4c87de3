import { createHmac, randomBytes } from 'node:crypto';
import type { SecretStore } from '../../../storage/secret-store';
import type { Webhook } from '../../../storage/webhook-store';
import { createSealedTextBox } from '../outbound/sealed-secrets';

/**
 * Webhook secrets: made by the hub (32 random bytes, shown once as 64 hex digits), kept sealed, and
 * used to sign every request.
 *
 * At rest a secret is sealed (outbound/sealed-secrets.ts) under the hub secret `webhook-secret-key`,
 * with the webhook id as associated data.
 *
 * The signature (`X-Hub-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`) is HMAC-SHA256 keyed with the
 * secret's text (the 64 hex digits as given, UTF-8) over `<t>.<body>`; one v1 per active secret.
 */

export const WEBHOOK_KEY_NAME = 'webhook-secret-key';

export function newWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}

export interface SecretBox {
  seal(webhookId: string, secret: string): Promise<string>;
  open(webhookId: string, sealed: string): Promise<string>;
}

export function createSecretBox(secrets: SecretStore): SecretBox {
  return createSealedTextBox(secrets, WEBHOOK_KEY_NAME);
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

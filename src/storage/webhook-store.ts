import type { ChangeOperation } from './change-feed-store';
import type { NewSubscription } from './subscription-store';

/**
 * The storage port of webhooks (issue 13 §2). A webhook is a subscription of channel 'webhook' (its
 * cursor, status, lease and retry state live there, driven by the delivery engine) plus what only a
 * webhook has: its URL, event filter, sealed signing secrets, the attempts log and dead letters.
 * Reads a tenant asks for name the owner organization (another organization's webhook is never
 * found); `undefined` as the organization is an operator's look-up.
 */

/** Which events a webhook receives; an empty list lets everything through. */
export interface WebhookFilter {
  /** Indicator kinds of the hub extension (only indicators of these kinds when not empty). */
  readonly kinds: readonly string[];
  readonly operations: readonly ChangeOperation[];
  /** Only objects whose STIX `confidence` is at least this (0-100). */
  readonly minConfidence?: number;
}

export interface NewWebhook {
  readonly url: string;
  readonly filter: WebhookFilter;
  /** How long a batch is retried, from its first failure, before it is dead-lettered. */
  readonly retryWindowMs: number;
  /** The signing secret, sealed (never stored in clear). */
  readonly sealedSecret: string;
  /** Who registered it (actor name). */
  readonly createdBy: string;
}

export interface Webhook extends NewWebhook {
  readonly id: string;
  readonly organizationId: string;
  /** The secret before the last rotation: it signs too until `retiresAt`. */
  readonly previous?: { readonly sealedSecret: string; readonly retiresAt: Date };
  /** The first failed attempt of the batch now pending; null when the last attempt succeeded. */
  readonly failingSince: Date | null;
}

export type AttemptOutcome = 'delivered' | 'failed' | 'refused';

export interface NewAttempt {
  readonly webhookId: string;
  readonly deliveryId: string;
  readonly at: Date;
  readonly outcome: AttemptOutcome;
  readonly statusCode?: number;
  readonly latencyMs: number;
  readonly error?: string;
  readonly events: number;
  /** The position range the request carried: (afterPosition, throughPosition]. */
  readonly afterPosition: number;
  readonly throughPosition: number;
  /** The dead letter this attempt replayed. */
  readonly replayOf?: string;
}

export interface WebhookAttempt extends NewAttempt {
  readonly id: string;
}

export interface NewDeadLetter {
  readonly id: string;
  readonly webhookId: string;
  readonly afterPosition: number;
  readonly throughPosition: number;
  readonly events: number;
  readonly error: string;
  readonly deadAt: Date;
}

export interface DeadLetter extends NewDeadLetter {
  readonly replayedAt: Date | null;
}

/** How many attempts are kept per webhook: the newest `keep`, none older than `maxAgeMs`. */
export interface AttemptRetention {
  readonly keep: number;
  readonly maxAgeMs: number;
}

export interface WebhookStore {
  /** Stores the subscription and its webhook in one transaction. */
  create(subscription: NewSubscription, webhook: NewWebhook): Promise<Webhook>;
  get(organizationId: string | undefined, id: string): Promise<Webhook | undefined>;
  /** In creation order; every organization's when `organizationId` is undefined. */
  list(organizationId: string | undefined): Promise<Webhook[]>;
  /** The new secret signs; the current one keeps signing until `retiresAt`. False when no such webhook. */
  rotateSecret(id: string, sealedSecret: string, retiresAt: Date): Promise<boolean>;
  /** The previous secret stops signing now. */
  retirePreviousSecret(id: string): Promise<boolean>;
  /** Sets failing_since to `at` unless already set. */
  markFailing(id: string, at: Date): Promise<void>;
  clearFailing(id: string): Promise<void>;
  /** Appends attempts, in order (those of webhooks removed meanwhile are dropped), and trims the logs to the retention. */
  recordAttempts(attempts: readonly NewAttempt[], retention: AttemptRetention): Promise<void>;
  /** The newest first (by when each was sent), at most `limit`. */
  attempts(id: string, limit: number): Promise<WebhookAttempt[]>;
  /** Stores a dead letter and clears failing_since (the next batch starts a new window). */
  deadLetter(letter: NewDeadLetter): Promise<void>;
  /** The newest first. */
  deadLetters(id: string): Promise<DeadLetter[]>;
  getDeadLetter(webhookId: string, letterId: string): Promise<DeadLetter | undefined>;
  markReplayed(letterId: string, at: Date): Promise<void>;
}

import type { ChangeOperation } from '../change-feed-store';
import type { NewSubscription } from '../subscription-store';
import type { AttemptRetention, DeadLetter, NewAttempt, NewDeadLetter, NewWebhook, Webhook, WebhookAttempt, WebhookStore } from '../webhook-store';
import type { Database, Queryable } from './database';
import { SqlSubscriptionStore } from './sql-subscription-store';

/** Webhooks over SQL (migration 013): the subscription row is SqlSubscriptionStore's, the rest is here. */

interface WebhookRow {
  id: string;
  organization_id: string;
  url: string;
  kinds: string[];
  operations: string[];
  min_confidence: number | null;
  retry_window_ms: string;
  secret: string;
  previous_secret: string | null;
  previous_retires_at: Date | null;
  failing_since: Date | null;
  created_by: string;
}

interface AttemptRow {
  id: string;
  webhook_id: string;
  delivery_id: string;
  at: Date;
  outcome: WebhookAttempt['outcome'];
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  events: number;
  after_position: string;
  through_position: string;
  replay_of: string | null;
}

interface DeadLetterRow {
  id: string;
  webhook_id: string;
  after_position: string;
  through_position: string;
  events: number;
  error: string;
  dead_at: Date;
  replayed_at: Date | null;
}

const WEBHOOK_COLUMNS = 'w.id, w.organization_id, w.url, w.kinds, w.operations, w.min_confidence, w.retry_window_ms, w.secret, w.previous_secret, w.previous_retires_at, w.failing_since, w.created_by';

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    organizationId: row.organization_id,
    url: row.url,
    filter: { kinds: row.kinds, operations: row.operations as ChangeOperation[], ...(row.min_confidence !== null ? { minConfidence: row.min_confidence } : {}) },
    retryWindowMs: Number(row.retry_window_ms),
    sealedSecret: row.secret,
    ...(row.previous_secret !== null && row.previous_retires_at !== null ? { previous: { sealedSecret: row.previous_secret, retiresAt: row.previous_retires_at } } : {}),
    failingSince: row.failing_since,
    createdBy: row.created_by,
  };
}

function toAttempt(row: AttemptRow): WebhookAttempt {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    deliveryId: row.delivery_id,
    at: row.at,
    outcome: row.outcome,
    ...(row.status_code !== null ? { statusCode: row.status_code } : {}),
    latencyMs: row.latency_ms,
    ...(row.error !== null ? { error: row.error } : {}),
    events: row.events,
    afterPosition: Number(row.after_position),
    throughPosition: Number(row.through_position),
    ...(row.replay_of !== null ? { replayOf: row.replay_of } : {}),
  };
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    afterPosition: Number(row.after_position),
    throughPosition: Number(row.through_position),
    events: row.events,
    error: row.error,
    deadAt: row.dead_at,
    replayedAt: row.replayed_at,
  };
}

/** Attempts between two trims of a webhook's log (the sequence is shared by every webhook, so trims spread out). */
export const TRIM_EVERY = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SqlWebhookStore implements WebhookStore {
  constructor(private readonly db: Database) {}

  async create(subscription: NewSubscription, webhook: NewWebhook): Promise<Webhook> {
    return this.db.transaction(async (tx) => {
      const inserted = await new SqlSubscriptionStore(tx).insert(subscription);
      if (inserted.kind !== 'created') throw new Error(`webhook ${subscription.id} exists already`);
      const { rows } = await tx.query<WebhookRow>(
        `INSERT INTO webhooks AS w (id, organization_id, url, kinds, operations, min_confidence, retry_window_ms, secret, created_by)
         VALUES ($1, $2, $3, $4::text[], $5::text[], $6, $7, $8, $9)
         RETURNING ${WEBHOOK_COLUMNS}`,
        [subscription.id, subscription.organizationId, webhook.url, [...webhook.filter.kinds], [...webhook.filter.operations], webhook.filter.minConfidence ?? null, webhook.retryWindowMs, webhook.sealedSecret, webhook.createdBy],
      );
      return toWebhook(rows[0] as WebhookRow);
    });
  }

  async get(organizationId: string | undefined, id: string): Promise<Webhook | undefined> {
    if (!UUID.test(id)) return undefined;
    const params: unknown[] = [id];
    const owner = organizationId !== undefined ? `AND w.organization_id = $${params.push(organizationId)}` : '';
    const { rows } = await this.db.query<WebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks w WHERE w.id = $1 ${owner}`, params);
    return rows[0] && toWebhook(rows[0]);
  }

  async list(organizationId: string | undefined): Promise<Webhook[]> {
    const params: unknown[] = [];
    const owner = organizationId !== undefined ? `WHERE w.organization_id = $${params.push(organizationId)}` : '';
    const { rows } = await this.db.query<WebhookRow>(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks w JOIN subscriptions s ON s.id = w.id ${owner} ORDER BY s.created_at, w.id`,
      params,
    );
    return rows.map(toWebhook);
  }

  async rotateSecret(id: string, sealedSecret: string, retiresAt: Date): Promise<boolean> {
    const { rowCount } = await this.db.query('UPDATE webhooks SET previous_secret = secret, previous_retires_at = $3, secret = $2 WHERE id = $1', [id, sealedSecret, retiresAt]);
    return rowCount === 1;
  }

  async retirePreviousSecret(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('UPDATE webhooks SET previous_secret = NULL, previous_retires_at = NULL WHERE id = $1', [id]);
    return rowCount === 1;
  }

  async markFailing(id: string, at: Date): Promise<void> {
    await this.db.query('UPDATE webhooks SET failing_since = COALESCE(failing_since, $2) WHERE id = $1', [id, at]);
  }

  async clearFailing(id: string): Promise<void> {
    await this.db.query('UPDATE webhooks SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL', [id]);
  }

  async recordAttempts(attempts: readonly NewAttempt[], retention: AttemptRetention): Promise<void> {
    if (attempts.length === 0) return;
    const params: unknown[] = [];
    const rows = attempts.map((a, n) => {
      const values = [a.webhookId, a.deliveryId, a.at, a.outcome, a.statusCode ?? null, Math.round(a.latencyMs), a.error ?? null, a.events, a.afterPosition, a.throughPosition, a.replayOf ?? null];
      const [w, d, at, o, st, l, e, ev, af, th, r] = values.map((v) => `$${params.push(v)}`);
      return `(${w}::uuid, ${d}::uuid, ${at}::timestamptz, ${o}::text, ${st}::integer, ${l}::integer, ${e}::text, ${ev}::integer, ${af}::bigint, ${th}::bigint, ${r}::uuid, $${params.push(n)}::integer)`;
    });
    // One statement for many attempts (the channel logs in small batches); ids follow the given order.
    const { rows: inserted } = await this.db.query<{ id: string; webhook_id: string }>(
      `INSERT INTO webhook_attempts (webhook_id, delivery_id, at, outcome, status_code, latency_ms, error, events, after_position, through_position, replay_of)
       SELECT v.webhook_id, v.delivery_id, v.at, v.outcome, v.status_code, v.latency_ms, v.error, v.events, v.after_position, v.through_position, v.replay_of
         FROM (VALUES ${rows.join(', ')}) AS v(webhook_id, delivery_id, at, outcome, status_code, latency_ms, error, events, after_position, through_position, replay_of, n)
        WHERE EXISTS (SELECT 1 FROM webhooks w WHERE w.id = v.webhook_id)
        ORDER BY v.n
       RETURNING id, webhook_id`,
      params,
    );
    // Keep the newest `keep` attempts, none older than maxAgeMs: a webhook's log is trimmed when one of
    // its new ids is a multiple of TRIM_EVERY (about one attempt in TRIM_EVERY), so a busy webhook keeps
    // about keep + TRIM_EVERY rows and logging costs no extra query on most deliveries.
    const latest = new Map(attempts.map((a) => [a.webhookId, a.at] as const));
    const due = new Set(inserted.filter((r) => Number(r.id) % TRIM_EVERY === 0).map((r) => r.webhook_id));
    for (const webhookId of due) {
      await this.db.query(
        `DELETE FROM webhook_attempts WHERE webhook_id = $1
            AND (at < $2 OR id <= (SELECT id FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC OFFSET $3 LIMIT 1))`,
        [webhookId, new Date((latest.get(webhookId) ?? new Date()).getTime() - retention.maxAgeMs), retention.keep],
      );
    }
  }

  async attempts(id: string, limit: number): Promise<WebhookAttempt[]> {
    const { rows } = await this.db.query<AttemptRow>('SELECT * FROM webhook_attempts WHERE webhook_id = $1 ORDER BY at DESC, id DESC LIMIT $2', [id, limit]);
    return rows.map(toAttempt);
  }

  async deadLetter(letter: NewDeadLetter): Promise<void> {
    await this.db.transaction(async (tx: Queryable) => {
      await tx.query(
        `INSERT INTO webhook_dead_letters (id, webhook_id, after_position, through_position, events, error, dead_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [letter.id, letter.webhookId, letter.afterPosition, letter.throughPosition, letter.events, letter.error, letter.deadAt],
      );
      await tx.query('UPDATE webhooks SET failing_since = NULL WHERE id = $1', [letter.webhookId]);
    });
  }

  async deadLetters(id: string): Promise<DeadLetter[]> {
    const { rows } = await this.db.query<DeadLetterRow>('SELECT * FROM webhook_dead_letters WHERE webhook_id = $1 ORDER BY dead_at DESC, id', [id]);
    return rows.map(toDeadLetter);
  }

  async getDeadLetter(webhookId: string, letterId: string): Promise<DeadLetter | undefined> {
    if (!UUID.test(letterId)) return undefined;
    const { rows } = await this.db.query<DeadLetterRow>('SELECT * FROM webhook_dead_letters WHERE webhook_id = $1 AND id = $2', [webhookId, letterId]);
    return rows[0] && toDeadLetter(rows[0]);
  }

  async markReplayed(letterId: string, at: Date): Promise<void> {
    await this.db.query('UPDATE webhook_dead_letters SET replayed_at = $2 WHERE id = $1', [letterId, at]);
  }
}

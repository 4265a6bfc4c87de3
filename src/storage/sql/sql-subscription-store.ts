import type {
  Claim,
  ClaimRequest,
  ContentBindingChoice,
  FailureRecord,
  InsertOutcome,
  NewSubscription,
  ResponseType,
  Subscription,
  SubscriptionChannel,
  SubscriptionFilter,
  SubscriptionStatus,
  SubscriptionStore,
  SuccessRecord,
} from '../subscription-store';
import type { EngineName, Queryable } from './database';

/**
 * Subscriptions in PostgreSQL-dialect SQL (PGlite and PostgreSQL). Claims take rows with
 * FOR UPDATE SKIP LOCKED and set a lease, so two hub processes never deliver one subscription at
 * the same time; outcomes are written only by the lease holder, and the cursor never moves back.
 */

interface SubscriptionRow {
  id: string;
  collection_id: string;
  collection_name: string;
  organization_id: string;
  user_id: string;
  channel: SubscriptionChannel;
  response_type: ResponseType;
  content_bindings: ContentBindingChoice[];
  push_protocol_binding: string | null;
  push_address: string | null;
  push_message_binding: string | null;
  status: SubscriptionStatus;
  created_at: Date;
  cursor: string;
  next_attempt_at: Date;
  consecutive_failures: number;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  delivered_records: string;
  audience_key: string | null;
}

const COLUMNS = `s.id, s.collection_id, s.collection_name, s.organization_id, s.user_id, s.channel, s.response_type, s.content_bindings,
  s.push_protocol_binding, s.push_address, s.push_message_binding, s.status, s.created_at, s.cursor, s.next_attempt_at,
  s.consecutive_failures, s.last_attempt_at, s.last_success_at, s.last_error, s.last_error_at, s.delivered_records, s.audience_key`;

function toSubscription(row: SubscriptionRow): Subscription {
  const push =
    row.push_address !== null && row.push_protocol_binding !== null && row.push_message_binding !== null
      ? { protocolBinding: row.push_protocol_binding, address: row.push_address, messageBinding: row.push_message_binding }
      : undefined;
  return {
    id: row.id,
    collectionId: row.collection_id,
    collectionName: row.collection_name,
    organizationId: row.organization_id,
    userId: row.user_id,
    channel: row.channel,
    responseType: row.response_type,
    contentBindings: row.content_bindings,
    ...(push ? { push } : {}),
    status: row.status,
    createdAt: row.created_at,
    cursor: Number(row.cursor),
    delivery: {
      nextAttemptAt: row.next_attempt_at,
      consecutiveFailures: row.consecutive_failures,
      lastAttemptAt: row.last_attempt_at,
      lastSuccessAt: row.last_success_at,
      lastError: row.last_error,
      lastErrorAt: row.last_error_at,
      deliveredRecords: Number(row.delivered_records),
    },
    ...(row.audience_key !== null ? { audienceKey: row.audience_key } : {}),
  };
}

/** What makes two SUBSCRIBEs identical: the same response type, content bindings and push target. */
export function parametersKey(s: Pick<NewSubscription, 'id' | 'channel' | 'responseType' | 'contentBindings' | 'push'>): string {
  // The newer channels (webhook, taxii21-forward) keep their targets in tables of their own: each is its own subscription.
  if (s.channel !== 'taxii11-push' && s.channel !== 'taxii11-poll') return JSON.stringify([s.channel, s.id]);
  const bindings = s.contentBindings
    .map((b) => ({ bindingId: b.bindingId, subtypes: [...b.subtypes].sort() }))
    .sort((a, b) => (a.bindingId < b.bindingId ? -1 : a.bindingId > b.bindingId ? 1 : 0));
  const push = s.push ? [s.push.protocolBinding, s.push.address, s.push.messageBinding] : null;
  return JSON.stringify([s.channel, s.responseType, bindings, push]);
}

export class SqlSubscriptionStore implements SubscriptionStore {
  /** `db.engine` (a Database has one) tells whether the store is the embedded, single-process one. */
  constructor(private readonly db: Queryable & { readonly engine?: EngineName }) {}

  async insert(s: NewSubscription): Promise<InsertOutcome> {
    const key = parametersKey(s);
    const { rows } = await this.db.query<SubscriptionRow>(
      `INSERT INTO subscriptions AS s (id, collection_id, organization_id, user_id, channel, response_type, content_bindings,
         push_protocol_binding, push_address, push_message_binding, parameters_key, status, created_at, cursor, next_attempt_at, collection_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, 'ACTIVE', $12, $13, $12, $14)
       ON CONFLICT (organization_id, user_id, collection_id, parameters_key) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        s.id,
        s.collectionId,
        s.organizationId,
        s.userId,
        s.channel,
        s.responseType,
        JSON.stringify(s.contentBindings),
        s.push?.protocolBinding ?? null,
        s.push?.address ?? null,
        s.push?.messageBinding ?? null,
        key,
        s.createdAt,
        s.cursor,
        s.collectionName,
      ],
    );
    if (rows[0]) return { kind: 'created', subscription: toSubscription(rows[0]) };
    const existing = await this.db.query<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM subscriptions s WHERE organization_id = $1 AND user_id = $2 AND collection_id = $3 AND parameters_key = $4`,
      [s.organizationId, s.userId, s.collectionId, key],
    );
    const row = existing.rows[0];
    // Deleted between the conflict and the read (an UNSUBSCRIBE racing): insert again.
    if (!row) return this.insert(s);
    return { kind: 'existing', subscription: toSubscription(row) };
  }

  async get(organizationId: string, id: string): Promise<Subscription | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions s WHERE id = $1 AND organization_id = $2`, [id, organizationId]);
    return rows[0] && toSubscription(rows[0]);
  }

  async list(filter: SubscriptionFilter): Promise<Subscription[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.organizationId !== undefined) conditions.push(`organization_id = $${params.push(filter.organizationId)}`);
    if (filter.collectionId !== undefined) {
      if (!isUuid(filter.collectionId)) return [];
      conditions.push(`collection_id = $${params.push(filter.collectionId)}`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const { rows } = await this.db.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions s ${where} ORDER BY created_at, id`, params);
    return rows.map(toSubscription);
  }

  async delete(organizationId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rowCount } = await this.db.query('DELETE FROM subscriptions WHERE id = $1 AND organization_id = $2', [id, organizationId]);
    return rowCount === 1;
  }

  async setStatus(organizationId: string, id: string, status: SubscriptionStatus, now: Date): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rowCount } = await this.db.query(
      `UPDATE subscriptions SET status = $3,
              next_attempt_at = CASE WHEN $3 = 'ACTIVE' AND status <> 'ACTIVE' THEN $4 ELSE next_attempt_at END,
              consecutive_failures = CASE WHEN $3 = 'ACTIVE' AND status <> 'ACTIVE' THEN 0 ELSE consecutive_failures END
        WHERE id = $1 AND organization_id = $2`,
      [id, organizationId, status, now],
    );
    return rowCount === 1;
  }

  async claimDue(request: ClaimRequest): Promise<Claim[]> {
    const params: unknown[] = [request.owner, request.now, new Date(request.now.getTime() + request.leaseMs), request.limit, [...request.channels]];
    const collection = request.collectionId !== undefined ? `AND s.collection_id = $${params.push(request.collectionId)}` : '';
    // A subscription whose audience was last compared under an older policy is due too (even with no new position).
    const audience = request.policyRevision !== undefined ? `OR COALESCE(s.audience_revision, -1) < $${params.push(request.policyRevision)}` : '';
    const { rows } = await this.db.query<SubscriptionRow & { collection_end: string }>(
      `UPDATE subscriptions AS s SET lease_owner = $1, lease_until = $3
         FROM (SELECT s.id, COALESCE(c.last_date_added, 0) AS last_date_added FROM subscriptions s LEFT JOIN collection_clocks c ON c.collection_id = s.collection_id
                WHERE s.status = 'ACTIVE' AND s.channel <> 'taxii11-poll' AND s.channel = ANY($5::text[]) AND s.next_attempt_at <= $2
                  AND (s.lease_until IS NULL OR s.lease_until < $2) AND (c.last_date_added > s.cursor ${audience}) ${collection}
                ORDER BY s.next_attempt_at, s.id
                LIMIT $4
                FOR UPDATE OF s SKIP LOCKED) AS due
        WHERE s.id = due.id
        RETURNING ${COLUMNS}, due.last_date_added AS collection_end`,
      params,
    );
    return rows.map((row) => ({ subscription: toSubscription(row), collectionEnd: Number(row.collection_end) }));
  }

  async recordSuccess(id: string, owner: string, success: SuccessRecord): Promise<void> {
    await this.db.query(
      `UPDATE subscriptions SET cursor = GREATEST(cursor, $3), consecutive_failures = 0, next_attempt_at = $4,
              delivered_records = delivered_records + $5,
              last_attempt_at = CASE WHEN $6 THEN $4 ELSE last_attempt_at END,
              last_success_at = CASE WHEN $6 THEN $4 ELSE last_success_at END,
              audience_key = COALESCE($7, audience_key),
              audience_revision = CASE WHEN $8::bigint IS NULL THEN audience_revision ELSE GREATEST(COALESCE(audience_revision, -1), $8::bigint) END,
              lease_owner = NULL, lease_until = NULL
        WHERE id = $1 AND lease_owner = $2`,
      [id, owner, success.cursor, success.at, success.deliveredRecords, success.sent, success.audienceKey ?? null, success.policyRevision ?? null],
    );
  }

  async recordFailure(id: string, owner: string, failure: FailureRecord): Promise<void> {
    await this.db.query(
      `UPDATE subscriptions SET consecutive_failures = consecutive_failures + 1, next_attempt_at = $5,
              last_attempt_at = $4, last_error = $3, last_error_at = $4, lease_owner = NULL, lease_until = NULL
        WHERE id = $1 AND lease_owner = $2`,
      [id, owner, failure.error, failure.at, failure.nextAttemptAt],
    );
  }

  async suspend(id: string, owner: string, reason: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE subscriptions SET status = 'PAUSED', last_error = $3, last_error_at = $4, lease_owner = NULL, lease_until = NULL
        WHERE id = $1 AND lease_owner = $2`,
      [id, owner, reason, at],
    );
  }

  async releaseOrphanedLeases(processPrefix: string): Promise<number> {
    if (this.db.engine !== 'pglite') return 0;
    const { rowCount } = await this.db.query(
      "UPDATE subscriptions SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL AND left(lease_owner, length($1)) <> $1",
      [processPrefix],
    );
    return rowCount ?? 0;
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM subscriptions s JOIN collection_clocks c ON c.collection_id = s.collection_id
        WHERE s.status = 'ACTIVE' AND s.channel <> 'taxii11-poll' AND c.last_date_added > s.cursor`,
    );
    return Number(rows[0]?.n ?? 0);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from subscribers: anything that is not a uuid names no subscription (and must not reach a uuid cast). */
function isUuid(value: string): boolean {
  return UUID.test(value);
}

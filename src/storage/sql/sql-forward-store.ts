import type { CredentialSummary, Forward, ForwardCredentialKind, ForwardStore, ForwardTarget } from '../forward-store';
import type { NewSubscription, Subscription } from '../subscription-store';
import type { Database, Queryable } from './database';
import { SqlSubscriptionStore } from './sql-subscription-store';

/** Forwards over SQL (migration 014): the subscription row is SqlSubscriptionStore's, the target is here. */

interface TargetRow {
  id: string;
  api_root_url: string;
  remote_collection_id: string;
  credential_kind: ForwardCredentialKind;
  credential_label: string | null;
  sealed_credentials: string | null;
  types: string[];
  kinds: string[];
  max_objects: number;
  max_bytes: number;
  created_by: string;
}

const TARGET_COLUMNS = 'f.id, f.api_root_url, f.remote_collection_id, f.credential_kind, f.credential_label, f.sealed_credentials, f.types, f.kinds, f.max_objects, f.max_bytes, f.created_by';

function toTarget(row: TargetRow): ForwardTarget {
  const credentials: CredentialSummary = { kind: row.credential_kind, ...(row.credential_label !== null ? { label: row.credential_label } : {}) };
  return {
    apiRootUrl: row.api_root_url,
    remoteCollectionId: row.remote_collection_id,
    credentials,
    ...(row.sealed_credentials !== null ? { sealedCredentials: row.sealed_credentials } : {}),
    filter: { ...(row.types.length > 0 ? { types: row.types } : {}), ...(row.kinds.length > 0 ? { kinds: row.kinds } : {}) },
    maxObjects: row.max_objects,
    maxBytes: row.max_bytes,
    createdBy: row.created_by,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SqlForwardStore implements ForwardStore {
  constructor(private readonly db: Database) {}

  async create(subscription: NewSubscription, target: ForwardTarget): Promise<Forward> {
    return this.db.transaction(async (tx) => {
      const inserted = await new SqlSubscriptionStore(tx).insert(subscription);
      await tx.query(
        `INSERT INTO forward_targets (id, organization_id, api_root_url, remote_collection_id, credential_kind, credential_label, sealed_credentials, types, kinds, max_objects, max_bytes, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9::text[], $10, $11, $12)`,
        [
          subscription.id,
          subscription.organizationId,
          target.apiRootUrl,
          target.remoteCollectionId,
          target.credentials.kind,
          target.credentials.label ?? null,
          target.sealedCredentials ?? null,
          [...(target.filter.types ?? [])],
          [...(target.filter.kinds ?? [])],
          target.maxObjects,
          target.maxBytes,
          target.createdBy,
        ],
      );
      return { subscription: inserted.subscription, target };
    });
  }

  async get(id: string, organizationId?: string): Promise<Forward | undefined> {
    if (!UUID.test(id)) return undefined;
    const owner = organizationId ?? (await this.db.query<{ organization_id: string }>('SELECT organization_id FROM forward_targets WHERE id = $1', [id])).rows[0]?.organization_id;
    if (owner === undefined) return undefined;
    const subscription = await new SqlSubscriptionStore(this.db).get(owner, id);
    if (!subscription || subscription.channel !== 'taxii21-forward') return undefined;
    const target = await this.target(id);
    return target && { subscription, target };
  }

  async list(filter: { readonly organizationId?: string }): Promise<Forward[]> {
    const subscriptions = (await new SqlSubscriptionStore(this.db).list(filter.organizationId !== undefined ? { organizationId: filter.organizationId } : {})).filter((s) => s.channel === 'taxii21-forward');
    const targets = await this.targets(subscriptions);
    return subscriptions.flatMap((subscription) => {
      const target = targets.get(subscription.id);
      return target ? [{ subscription, target }] : [];
    });
  }

  async target(id: string): Promise<ForwardTarget | undefined> {
    if (!UUID.test(id)) return undefined;
    const { rows } = await this.db.query<TargetRow>(`SELECT ${TARGET_COLUMNS} FROM forward_targets f WHERE f.id = $1`, [id]);
    return rows[0] && toTarget(rows[0]);
  }

  private async targets(subscriptions: readonly Subscription[]): Promise<Map<string, ForwardTarget>> {
    if (subscriptions.length === 0) return new Map();
    const db: Queryable = this.db;
    const { rows } = await db.query<TargetRow>(`SELECT ${TARGET_COLUMNS} FROM forward_targets f WHERE f.id = ANY($1::uuid[])`, [subscriptions.map((s) => s.id)]);
    return new Map(rows.map((row) => [row.id, toTarget(row)]));
  }
}

import type { ResultSet, ResultSetStore } from '../result-set-store';
import type { Queryable } from './database';

interface ResultSetRow {
  id: string;
  collection_id: string;
  owner_org_id: string;
  owner_user_id: string;
  exclusive_begin: string | number | null;
  inclusive_end: string | number;
  cuts: string[];
  total_count: number;
  part_size: number;
  content_binding: string;
  subscription_id: string | null;
  scope_key: string;
  created_at: string | number;
  expires_at: string | number;
}

/** The ResultSetStore over taxii11_result_sets (migration 011). Cuts are read as text: bigint arrays come back alike on both engines. */
export class SqlResultSetStore implements ResultSetStore {
  constructor(private readonly db: Queryable) {}

  async create(set: ResultSet): Promise<void> {
    await this.db.query(
      `INSERT INTO taxii11_result_sets (id, collection_id, owner_org_id, owner_user_id, exclusive_begin, inclusive_end, cuts, total_count,
                                        part_size, content_binding, subscription_id, scope_key, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::bigint[], $8, $9, $10, $11, $12, $13, $14)`,
      [
        set.id,
        set.collectionId,
        set.ownerOrgId,
        set.ownerUserId,
        set.exclusiveBegin ?? null,
        set.inclusiveEnd,
        set.cuts.map(String),
        set.totalCount,
        set.partSize,
        set.contentBinding,
        set.subscriptionId ?? null,
        set.scopeKey,
        set.createdAt,
        set.expiresAt,
      ],
    );
  }

  async get(id: string, ownerOrgId: string): Promise<ResultSet | undefined> {
    const { rows } = await this.db.query<ResultSetRow>(
      `SELECT id, collection_id, owner_org_id, owner_user_id, exclusive_begin, inclusive_end, cuts::text[] AS cuts, total_count, part_size,
              content_binding, subscription_id, scope_key, created_at, expires_at
         FROM taxii11_result_sets WHERE id = $1 AND owner_org_id = $2`,
      [id, ownerOrgId],
    );
    const row = rows[0];
    return row === undefined ? undefined : toResultSet(row);
  }

  async deleteExpired(nowMs: number): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM taxii11_result_sets WHERE expires_at <= $1', [nowMs]);
    return rowCount ?? 0;
  }
}

function toResultSet(row: ResultSetRow): ResultSet {
  return {
    id: row.id,
    collectionId: row.collection_id,
    ownerOrgId: row.owner_org_id,
    ownerUserId: row.owner_user_id,
    ...(row.exclusive_begin === null ? {} : { exclusiveBegin: Number(row.exclusive_begin) }),
    inclusiveEnd: Number(row.inclusive_end),
    cuts: row.cuts.map(Number),
    totalCount: row.total_count,
    partSize: row.part_size,
    contentBinding: row.content_binding,
    ...(row.subscription_id === null ? {} : { subscriptionId: row.subscription_id }),
    scopeKey: row.scope_key,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}

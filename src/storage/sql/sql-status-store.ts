import { STATUS_RETENTION_MICROS, type StatusDetail, type StatusStore, type TaxiiStatus } from '../status-store';
import type { Queryable } from './database';

interface StatusRow {
  id: string;
  api_root_id: string;
  collection_id: string;
  organization_id: string;
  request_timestamp: string;
  completed_at: string | null;
  status: 'pending' | 'complete';
  successes: StatusDetail[];
  failures: StatusDetail[];
  pendings: StatusDetail[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The StatusStore over SQL (table taxii_statuses, migration 003), for both engines. */
export class SqlStatusStore implements StatusStore {
  constructor(private readonly db: Queryable) {}

  async insert(status: TaxiiStatus): Promise<void> {
    await this.db.query(
      `INSERT INTO taxii_statuses (id, api_root_id, collection_id, organization_id, request_timestamp, completed_at, status,
                                   total_count, success_count, failure_count, pending_count, successes, failures, pendings)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14::jsonb)`,
      [
        status.id,
        status.apiRootId,
        status.collectionId,
        status.organizationId,
        status.requestTimestamp,
        status.completedAt,
        status.status,
        status.successes.length + status.failures.length + status.pendings.length,
        status.successes.length,
        status.failures.length,
        status.pendings.length,
        JSON.stringify(status.successes),
        JSON.stringify(status.failures),
        JSON.stringify(status.pendings),
      ],
    );
  }

  async get(apiRootId: string, id: string): Promise<TaxiiStatus | undefined> {
    if (!UUID.test(id)) return undefined; // the column is a uuid: any other text would be a query error
    const result = await this.db.query<StatusRow>(
      `SELECT id, api_root_id, collection_id, organization_id, request_timestamp, completed_at, status, successes, failures, pendings
         FROM taxii_statuses WHERE id = $1 AND api_root_id = $2`,
      [id, apiRootId],
    );
    const row = result.rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      apiRootId: row.api_root_id,
      collectionId: row.collection_id,
      organizationId: row.organization_id,
      requestTimestamp: Number(row.request_timestamp),
      completedAt: row.completed_at === null ? null : Number(row.completed_at),
      status: row.status,
      successes: row.successes,
      failures: row.failures,
      pendings: row.pendings,
    };
  }

  async purgeExpired(nowMicros: number, retentionMicros: number = STATUS_RETENTION_MICROS): Promise<number> {
    const result = await this.db.query('DELETE FROM taxii_statuses WHERE completed_at < $1', [nowMicros - retentionMicros]);
    return result.rowCount ?? 0;
  }
}

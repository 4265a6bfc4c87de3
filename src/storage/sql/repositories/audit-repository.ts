import { hubError } from '../../../domain/errors';
import type { AuditEntry, AuditQuery, AuditRepository, NewAuditEntry } from '../../tenancy-store';
import type { SqlSession } from './sql-session';

interface AuditRow {
  id: string; // bigint arrives as text
  at: Date;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
}

const COLUMNS = 'id, at, actor, action, entity_type, entity_id, before, after';

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
  };
}

/** jsonb parameter text; an absent value is stored as SQL NULL and reads back as null. */
function jsonParam(value: unknown): string | null {
  return value === undefined ? null : (JSON.stringify(value) ?? null);
}

/** The audit trail. The table refuses UPDATE, DELETE and TRUNCATE, so this only appends and reads. */
export class SqlAuditRepository implements AuditRepository {
  constructor(private readonly session: SqlSession) {}

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const { rows } = await this.session.q.query<AuditRow>(
      `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)
       RETURNING ${COLUMNS}`,
      [entry.actor, entry.action, entry.entityType, entry.entityId, jsonParam(entry.before), jsonParam(entry.after)],
    );
    const row = rows[0];
    if (!row) throw new Error('INSERT … RETURNING gave no row');
    return toAuditEntry(row);
  }

  /** Oldest first, paged on with `afterId` set to the last id received; or newest first, paged on with `beforeId`. */
  async list(query: AuditQuery): Promise<AuditEntry[]> {
    if (!Number.isSafeInteger(query.limit) || query.limit < 0) {
      throw hubError('VALIDATION_FAILED', `limit must be a non-negative integer, not ${String(query.limit)}`);
    }
    const conditions: string[] = [];
    const params: unknown[] = [];
    // Only placeholders are built here; every value travels as a parameter.
    const where = (condition: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(condition(`$${params.length}`));
    };
    if (query.entityType !== undefined) where((p) => `entity_type = ${p}`, query.entityType);
    if (query.entityId !== undefined) where((p) => `entity_id = ${p}`, query.entityId);
    if (query.actor !== undefined) where((p) => `actor = ${p}`, query.actor);
    if (query.afterId !== undefined) where((p) => `id > ${p}`, query.afterId);
    if (query.beforeId !== undefined) where((p) => `id < ${p}`, query.beforeId);
    if (query.since !== undefined) where((p) => `at >= ${p}::timestamptz`, query.since);
    if (query.until !== undefined) where((p) => `at < ${p}::timestamptz`, query.until);
    params.push(query.limit);
    const whereClause = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const { rows } = await this.session.q.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log ${whereClause} ORDER BY id ${query.newestFirst === true ? 'DESC' : 'ASC'} LIMIT $${params.length}`,
      params,
    );
    return rows.map(toAuditEntry);
  }
}

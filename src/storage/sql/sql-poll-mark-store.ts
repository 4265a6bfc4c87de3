import { pollMarkKey, type PollMark, type PollMarkStore, type PollProtocol } from '../poll-mark-store';
import type { Queryable } from './database';

interface MarkRow {
  collection_id: string;
  organization_id: string;
  user_id: string;
  api_key_id: string;
  username: string;
  protocol: PollProtocol;
  last_polled_at: string | number;
  position: string | number;
  types: string | null;
}


/**
 * PollMarkStore over poll_marks (migrations 024 and 025), for both engines. One statement per batch; rows go
 * in key order, so two processes writing overlapping batches lock rows in the same order (no deadlock).
 */
export class SqlPollMarkStore implements PollMarkStore {
  constructor(private readonly db: Queryable) {}

  async record(marks: readonly PollMark[]): Promise<void> {
    if (marks.length === 0) return;
    const sorted = marks.map((m) => ({ key: pollMarkKey(m), m })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.m);
    await this.db.query(
      `INSERT INTO poll_marks AS p (collection_id, organization_id, user_id, api_key_id, username, protocol, last_polled_at, position, types)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::text[])
       ON CONFLICT (collection_id, organization_id, user_id, api_key_id) DO UPDATE SET
         protocol = CASE WHEN EXCLUDED.last_polled_at >= p.last_polled_at THEN EXCLUDED.protocol ELSE p.protocol END,
         types = CASE WHEN EXCLUDED.last_polled_at >= p.last_polled_at THEN EXCLUDED.types ELSE p.types END,
         username = CASE WHEN EXCLUDED.last_polled_at >= p.last_polled_at THEN EXCLUDED.username ELSE p.username END,
         last_polled_at = GREATEST(p.last_polled_at, EXCLUDED.last_polled_at),
         position = GREATEST(p.position, EXCLUDED.position)`,
      [
        sorted.map((m) => m.collectionId),
        sorted.map((m) => m.organizationId),
        sorted.map((m) => m.userId),
        sorted.map((m) => m.apiKeyId ?? ''),
        sorted.map((m) => m.username),
        sorted.map((m) => m.protocol),
        sorted.map((m) => m.polledAt),
        sorted.map((m) => m.position),
        sorted.map((m) => (m.types === undefined ? null : m.types.join(','))),
      ],
    );
  }

  async marksOf(collectionId: string, organizationId?: string): Promise<PollMark[]> {
    const { rows } = await this.db.query<MarkRow>(
      `SELECT collection_id, organization_id, user_id, api_key_id, username, protocol, last_polled_at, position, types FROM poll_marks
        WHERE collection_id = $1 AND ($2::text IS NULL OR organization_id = $2)
        ORDER BY last_polled_at DESC, organization_id, user_id, api_key_id`,
      [collectionId, organizationId ?? null],
    );
    return rows.map((r) => ({
      collectionId: r.collection_id,
      organizationId: r.organization_id,
      userId: r.user_id,
      username: r.username,
      ...(r.api_key_id !== '' ? { apiKeyId: r.api_key_id } : {}),
      protocol: r.protocol,
      polledAt: Number(r.last_polled_at),
      position: Number(r.position),
      ...(r.types !== null ? { types: r.types.split(',') } : {}),
    }));
  }
}

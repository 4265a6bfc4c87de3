import type { ReadScope } from '../../access/read-scope';
import { HUB_EXTENSION_ID } from '../../domain/hub-extension';
import type { IndicatorState } from '../../domain/lifecycle/indicator-state';
import { LATEST_VERSION } from '../../domain/object-filters';
import type { HistoryVersion, IndicatorListQuery, PurgedVersion } from '../object-store';
import type { NewAuditEntry } from '../tenancy-store';
import { lockClock } from './append-versions';
import type { Database, Queryable } from './database';
import { selectionConditions, SqlParameters } from './object-queries';
import { SqlAuditRepository } from './repositories/audit-repository';
import { transactionSession } from './repositories/sql-session';

/** The history and purge queries of the indicator lifecycle, over stix_objects. */

/** Every version of one object that `scope` may read, oldest version first. */
export async function objectHistory(db: Queryable, collectionId: string, scope: ReadScope, id: string): Promise<HistoryVersion[]> {
  const params = new SqlParameters();
  const collection = params.add(collectionId);
  const objectId = params.add(id);
  const readable = params.scope(scope);
  const { rows } = await db.query<Omit<HistoryRow, 'id'>>(
    `SELECT o.date_added, o.version, o.provider_org_id, o.object, o.written_by FROM stix_objects o
      WHERE o.collection_id = ${collection} AND o.id = ${objectId} AND ${readable}
      ORDER BY o.version, o.date_added`,
    params.values,
  );
  return rows.map((r) => toHistoryVersion({ ...r, id }));
}

/** A stix_objects row as the history, listing and head queries select it. */
export type HistoryRow = { id: string; date_added: string; version: string; provider_org_id: string; object: Record<string, unknown>; written_by: string | null };

export function toHistoryVersion(r: HistoryRow): HistoryVersion {
  return {
    id: r.id,
    dateAdded: Number(r.date_added),
    version: Number(r.version),
    providerOrgId: r.provider_org_id,
    object: r.object,
    ...(r.written_by !== null ? { writtenBy: r.written_by } : {}),
  };
}

/**
 * Deletes every version of `id`, in every collection, provided by one of `providers` ('any': by
 * anyone), with the indicator keys that name it, and appends the audit record in the same
 * transaction. It holds the clock locks of the collections concerned (taken in id order, as every
 * writer takes one lock at a time), so a transition or update that read the object before cannot
 * add a version after the purge: it either commits first and is purged too, or finds nothing.
 */
export async function purgeObject(
  db: Database,
  id: string,
  providers: readonly string[] | 'any',
  audit: (deleted: readonly PurgedVersion[]) => NewAuditEntry,
): Promise<PurgedVersion[]> {
  return db.transaction(async (tx) => {
    const providerList = providers === 'any' ? null : [...providers];
    const locked = new Set<string>();
    const deleted: PurgedVersion[] = [];
    for (;;) {
      const { rows } = await tx.query<{ collection_id: string }>(
        `SELECT DISTINCT collection_id FROM stix_objects WHERE id = $1 AND ($2::text[] IS NULL OR provider_org_id = ANY($2::text[])) ORDER BY collection_id`,
        [id, providerList],
      );
      const fresh = rows.map((r) => r.collection_id).filter((c) => !locked.has(c));
      if (fresh.length === 0) break;
      for (const collectionId of fresh) {
        await lockClock(tx, collectionId);
        locked.add(collectionId);
      }
      const removed = await tx.query<{ collection_id: string; date_added: string; version: string }>(
        `DELETE FROM stix_objects WHERE id = $1 AND collection_id = ANY($2::uuid[]) AND ($3::text[] IS NULL OR provider_org_id = ANY($3::text[]))
         RETURNING collection_id, date_added, version`,
        [id, [...locked], providerList],
      );
      deleted.push(...removed.rows.map((r) => ({ collectionId: r.collection_id, dateAdded: Number(r.date_added), version: Number(r.version) })));
    }
    if (deleted.length === 0) return deleted;
    await tx.query(`DELETE FROM indicator_keys WHERE object_id = $1 AND collection_id = ANY($2::uuid[])`, [id, [...locked]]);
    await new SqlAuditRepository(transactionSession(tx)).append(audit(deleted));
    return deleted.sort((a, b) => (a.collectionId < b.collectionId ? -1 : a.collectionId > b.collectionId ? 1 : a.dateAdded - b.dateAdded));
  });
}

/** The state of an indicator version as SQL over `o` (mirrors stateOf in domain/lifecycle; a test checks they agree). */
function stateCondition(state: IndicatorState, params: SqlParameters, nowMicros: number): string {
  // Parameters are added only when used: PostgreSQL cannot type a parameter the text never names.
  const revoked = `((o.object->>'revoked') = 'true')`;
  const benign = () => `((o.object->'extensions'->${params.add(HUB_EXTENSION_ID, '::text')}->>'state') = 'benign')`;
  const until = `(o.object->>'valid_until')::timestamptz`;
  const now = () => `to_timestamp(${params.add(nowMicros / 1e6, '::double precision')})`;
  switch (state) {
    case 'benign':
      return `(${revoked} AND ${benign()})`;
    case 'revoked':
      return `(${revoked} AND ${benign()} IS NOT TRUE)`;
    case 'expired':
      return `(${revoked} IS NOT TRUE AND ${until} <= ${now()})`;
    case 'active':
      return `(${revoked} IS NOT TRUE AND (o.object->>'valid_until' IS NULL OR ${until} > ${now()}))`;
  }
}

/**
 * A page of indicators in a collection, each in its latest version among those `scope` may read, in
 * date_added order after `afterDateAdded`; `limit + 1` rows so the caller can tell whether more follow.
 */
export async function indicatorHeads(db: Queryable, query: IndicatorListQuery): Promise<HistoryVersion[]> {
  const params = new SqlParameters();
  const conditions = selectionConditions(
    { collectionId: query.collectionId, scope: query.scope, types: ['indicator'], specVersions: { kind: 'latest' }, versions: LATEST_VERSION },
    params,
  );
  if (query.providerOrgId !== undefined) conditions.push(`o.provider_org_id = ${params.add(query.providerOrgId)}`);
  if (query.state !== undefined) conditions.push(stateCondition(query.state, params, query.nowMicros));
  if (query.afterDateAdded !== undefined) conditions.push(`o.date_added > ${params.add(query.afterDateAdded)}`);
  const { rows } = await db.query<HistoryRow>(
    `SELECT o.id, o.date_added, o.version, o.provider_org_id, o.object, o.written_by FROM stix_objects o
      WHERE ${conditions.join('\n        AND ')}
      ORDER BY o.date_added
      LIMIT ${params.add(query.limit + 1)}`,
    params.values,
  );
  return rows.map(toHistoryVersion);
}

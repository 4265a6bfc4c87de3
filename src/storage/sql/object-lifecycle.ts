import type { ReadScope } from '../../access/read-scope';
import { HUB_EXTENSION_ID } from '../../domain/hub-extension';
import type { IndicatorState } from '../../domain/lifecycle/indicator-state';
import { LATEST_VERSION } from '../../domain/object-filters';
import type { HistoryVersion, IndicatorListQuery, PurgedDependent, PurgedVersion } from '../object-store';
import type { NewAuditEntry } from '../tenancy-store';
import { lockClock, restoreHeads } from './append-versions';
import { recordRemovals, removedHeadOf, type HeadRow } from './change-events';
import type { Database, Queryable } from './database';
import { selectionConditions, SqlParameters } from './object-queries';
import { SqlAuditRepository } from './repositories/audit-repository';
import { transactionSession } from './repositories/sql-session';

/** The history and purge queries of the indicator lifecycle, over stix_objects. */

/** A removed row as the purge's DELETEs return it: what its change-feed event needs. */
type RemovedRow = HeadRow & { collection_id: string; is_head: boolean };
const REMOVED_FACTS = 'id, type, version, provider_org_id, tlp, recipients, named_readers, is_head';
const qualified = (alias: string) => REMOVED_FACTS.split(', ').map((c) => `${alias}.${c}`).join(', ');

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
 *
 * Nothing that names the purged object survives it (removeDependents): relationships and sightings
 * naming it, opinions and notes whose object_refs name it, then every object the hub made (a campaign, a provider identity) that nothing names
 * any more. `audit` receives those as its second argument.
 */
export async function purgeObject(
  db: Database,
  id: string,
  providers: readonly string[] | 'any',
  audit: (deleted: readonly PurgedVersion[], dependents: readonly PurgedDependent[]) => NewAuditEntry,
): Promise<PurgedVersion[]> {
  return db.transaction(async (tx) => {
    const providerList = providers === 'any' ? null : [...providers];
    const locked = new Set<string>();
    const deleted: PurgedVersion[] = [];
    const removedHeads: RemovedRow[] = [];
    for (;;) {
      const { rows } = await tx.query<{ collection_id: string }>(
        `SELECT c.id AS collection_id FROM collections c
          WHERE EXISTS (SELECT 1 FROM stix_objects s WHERE s.collection_id = c.id AND s.id = $1 AND ($2::text[] IS NULL OR s.provider_org_id = ANY($2::text[])))
          ORDER BY c.id`,
        [id, providerList],
      );
      const fresh = rows.map((r) => r.collection_id).filter((c) => !locked.has(c));
      if (fresh.length === 0) break;
      for (const collectionId of fresh) {
        await lockClock(tx, collectionId);
        locked.add(collectionId);
      }
      const removed = await tx.query<RemovedRow & { date_added: string }>(
        `DELETE FROM stix_objects WHERE id = $1 AND collection_id = ANY($2::uuid[]) AND ($3::text[] IS NULL OR provider_org_id = ANY($3::text[]))
         RETURNING collection_id, date_added, version, ${REMOVED_FACTS}`,
        [id, [...locked], providerList],
      );
      deleted.push(...removed.rows.map((r) => ({ collectionId: r.collection_id, dateAdded: Number(r.date_added), version: Number(r.version) })));
      removedHeads.push(...removed.rows.filter((r) => r.is_head));
    }
    if (deleted.length === 0) return deleted;
    const collections = [...new Set(deleted.map((d) => d.collectionId))];
    // A purge by provider leaves any version another provider stored: its head is marked again.
    if (providerList !== null) for (const collectionId of collections) await restoreHeads(tx, collectionId, [id]);
    await tx.query(`DELETE FROM indicator_keys WHERE object_id = $1 AND collection_id = ANY($2::uuid[])`, [id, [...locked]]);
    const dependents = await removeDependents(tx, collections, id, removedHeads);
    // The change feed: a 'purged' event for every head removed (dependents too), in this transaction.
    const now = Date.now() * 1000;
    for (const collectionId of collections) {
      const heads = removedHeads.filter((h) => h.collection_id === collectionId).map(removedHeadOf);
      await recordRemovals(tx, collectionId, heads, 'all', 'purged', now);
    }
    await new SqlAuditRepository(transactionSession(tx)).append(audit(deleted, dependents));
    return deleted.sort((a, b) => (a.collectionId < b.collectionId ? -1 : a.collectionId > b.collectionId ? 1 : a.dateAdded - b.dateAdded));
  });
}

/**
 * Removes, in `collections` (whose clock locks are held), every relationship and sighting that names
 * `id` and every opinion and note whose object_refs name it (a report about what is gone), then, repeatedly, every hub-made campaign or provider identity that no stored object names
 * any more, with their references and keys.
 */
async function removeDependents(tx: Queryable, collections: readonly string[], id: string, removedHeads: RemovedRow[]): Promise<PurgedDependent[]> {
  const removed: PurgedDependent[] = [];
  let gone = [id];
  let linked = await tx.query<RemovedRow>(
    `DELETE FROM stix_objects s USING object_references r
      WHERE r.collection_id = ANY($1::uuid[]) AND r.target_id = $2 AND s.collection_id = r.collection_id AND s.id = r.source_id
        AND (s.type IN ('relationship', 'sighting') OR (s.type IN ('opinion', 'note') AND s.object->'object_refs' @> jsonb_build_array($2::text)))
      RETURNING s.collection_id, ${qualified('s')}`,
    [collections, id],
  );
  removedHeads.push(...linked.rows.filter((r) => r.is_head));
  while (gone.length > 0) {
    const fresh = uniqueDependents(linked.rows);
    removed.push(...fresh);
    gone = [...new Set([...gone, ...fresh.map((d) => d.id)])];
    // Whatever the removed objects named may now be named by nothing.
    const named = await tx.query<{ target_id: string }>(
      `DELETE FROM object_references WHERE collection_id = ANY($1::uuid[]) AND (source_id = ANY($2::text[]) OR target_id = ANY($2::text[])) RETURNING target_id`,
      [collections, gone],
    );
    await tx.query(`DELETE FROM hub_object_keys WHERE scope = ANY($1::text[]) AND object_id = ANY($2::text[])`, [collections, gone]);
    // The hub's keys of relationships from the purged indicator (relationship:<source>:<type>:<target>),
    // by a range of hub_object_keys_prefix_idx (migration 021) instead of a scan of every key.
    await tx.query(
      `DELETE FROM hub_object_keys WHERE scope = ANY($1::text[]) AND key ~>=~ $2 AND key ~<~ ($2 || chr(1114111)) AND left(key, length($2)) = $2`,
      [collections, `relationship:${id}:`],
    );
    const orphans = [...new Set(named.rows.map((r) => r.target_id))];
    if (orphans.length === 0) break;
    // "Named by nothing" asks for the first stored referrer in index order (a scalar subquery keeps
    // its ORDER BY ... LIMIT 1): as NOT EXISTS, the planner read every reference to the orphan
    // candidate in a bitmap first, and a provider's identity is named by each of its indicators
    // (147,185 references, 250 ms at 200,000 indicators; 1.4 ms so, docs/benchmarks.md).
    linked = await tx.query<RemovedRow>(
      `DELETE FROM stix_objects s USING hub_object_keys k
        WHERE s.collection_id = ANY($1::uuid[]) AND s.id = ANY($2::text[])
          AND k.scope = s.collection_id::text AND k.object_id = s.id AND (k.key LIKE 'campaign:%' OR k.key LIKE 'identity:%')
          AND (SELECT r.source_id FROM object_references r
                WHERE r.collection_id = s.collection_id AND r.target_id = s.id
                  AND EXISTS (SELECT 1 FROM stix_objects x WHERE x.collection_id = r.collection_id AND x.id = r.source_id)
                ORDER BY r.source_id LIMIT 1) IS NULL
        RETURNING s.collection_id, ${qualified('s')}`,
      [collections, orphans],
    );
    // For the change feed (the loop ends below: gone is emptied).
    removedHeads.push(...linked.rows.filter((r) => r.is_head));
    gone = [];
    if (linked.rows.length === 0) break;
  }
  return removed;
}

function uniqueDependents(rows: readonly { collection_id: string; id: string; type: string }[]): PurgedDependent[] {
  const seen = new Map<string, PurgedDependent>();
  for (const r of rows) seen.set(`${r.collection_id} ${r.id}`, { collectionId: r.collection_id, id: r.id, type: r.type });
  return [...seen.values()];
}

/**
 * The state of an indicator version as SQL over `o` (mirrors stateOf in domain/lifecycle; a test
 * checks they agree), from the lifecycle and valid_until columns of migration 008.
 */
function stateCondition(state: IndicatorState, params: SqlParameters, nowMicros: number): string {
  // Parameters are added only when used: PostgreSQL cannot type a parameter the text never names.
  const now = () => params.add(nowMicros, '::bigint');
  switch (state) {
    case 'benign':
      return `o.lifecycle = 'benign'`;
    case 'revoked':
      return `o.lifecycle = 'revoked'`;
    case 'expired':
      return `(o.lifecycle IS NULL AND o.valid_until <= ${now()})`;
    case 'active':
      return `(o.lifecycle IS NULL AND (o.valid_until IS NULL OR o.valid_until > ${now()}))`;
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
  if (query.kind !== undefined) conditions.push(`o.object->'extensions'->${params.add(HUB_EXTENSION_ID, '::text')}->>'kind' = ${params.add(query.kind, '::text')}`);
  if (query.tlp !== undefined) conditions.push(`o.tlp = ${params.add(query.tlp, '::text')}`);
  if (query.campaign !== undefined) conditions.push(campaignCondition(query.campaign, query.scope, params));
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

/**
 * `o` indicates a campaign named `campaign` (its id or its name): an `indicates` relationship from `o`
 * (found through object_references, as every object naming `o`) to a campaign head, both readable by
 * `scope` (the predicate's unqualified columns name the innermost stix_objects: rel, then c).
 */
function campaignCondition(campaign: string, scope: ReadScope, params: SqlParameters): string {
  const named = params.add(campaign, '::text');
  return `EXISTS (SELECT 1 FROM object_references r
                    JOIN stix_objects rel ON rel.collection_id = r.collection_id AND rel.id = r.source_id AND rel.is_head
                   WHERE r.collection_id = o.collection_id AND r.target_id = o.id
                     AND rel.type = 'relationship' AND rel.lifecycle IS NULL
                     AND rel.object->>'relationship_type' = 'indicates' AND rel.object->>'source_ref' = o.id
                     AND ${params.scope(scope)}
                     AND EXISTS (SELECT 1 FROM stix_objects c
                                  WHERE c.collection_id = rel.collection_id AND c.id = rel.object->>'target_ref' AND c.is_head
                                    AND c.type = 'campaign' AND c.lifecycle IS NULL
                                    AND (c.id = ${named} OR c.object->>'name' = ${named})
                                    AND ${params.scope(scope)}))`;
}

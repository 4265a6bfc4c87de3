import type { TlpLevel } from '../../domain/tenancy';
import { indicatorKeyString, type CollectionWriteSession, type StoredHead } from '../object-store';
import type { NewAuditEntry } from '../tenancy-store';
import { appendLocked, lockClock } from './append-versions';
import type { Database, Queryable } from './database';
import { toHistoryVersion, type HistoryRow } from './object-lifecycle';
import { SqlAuditRepository } from './repositories/audit-repository';
import { transactionSession } from './repositories/sql-session';

type HeadRow = HistoryRow & { tlp: TlpLevel; recipients: string[]; named_readers: string[] };

/**
 * ObjectStore.writeLocked over SQL: one transaction that takes the collection's clock row first and
 * holds it to commit, so heads and keys read here cannot change under the session. `onAdded` counts
 * the rows stored, for the planner statistics.
 */
export async function withCollectionWriteSession<T>(
  db: Database,
  collectionId: string,
  nowMicros: number,
  work: (session: CollectionWriteSession) => Promise<T>,
  onAdded: (rows: number) => void,
): Promise<T> {
  return withCollectionsWriteSession(db, [collectionId], nowMicros, (sessions) => work(sessions.get(collectionId) as CollectionWriteSession), onAdded);
}

/**
 * ObjectStore.writeLockedMany over SQL: one transaction that takes the clock row of every collection
 * first, in sorted id order (any two writers lock common clocks in the same order, so they cannot
 * deadlock), and holds them to commit.
 */
export async function withCollectionsWriteSession<T>(
  db: Database,
  collectionIds: readonly string[],
  nowMicros: number,
  work: (sessions: ReadonlyMap<string, CollectionWriteSession>) => Promise<T>,
  onAdded: (rows: number) => void,
): Promise<T> {
  const counter = { added: 0 };
  const ids = [...new Set(collectionIds)].sort();
  const result = await db.transaction(async (tx) => {
    const sessions = new Map<string, CollectionWriteSession>();
    for (const id of ids) {
      await lockClock(tx, id);
      sessions.set(id, writeSession(tx, id, nowMicros, counter));
    }
    return work(sessions);
  });
  onAdded(counter.added);
  return result;
}

function writeSession(tx: Queryable, collectionId: string, nowMicros: number, counter: { added: number }): CollectionWriteSession {
  const knownIds = async (keys: readonly string[]): Promise<Map<string, string>> => {
    if (keys.length === 0) return new Map<string, string>();
    const { rows } = await tx.query<{ key: string; object_id: string }>('SELECT key, object_id FROM hub_object_keys WHERE scope = $1 AND key = ANY($2::text[])', [collectionId, [...new Set(keys)]]);
    return new Map(rows.map((r) => [r.key, r.object_id]));
  };
  return {
    collectionId,
    async heads(ids) {
      if (ids.length === 0) return new Map<string, StoredHead>();
      const { rows } = await tx.query<HeadRow>(
        `SELECT h.id, h.date_added, h.version, h.provider_org_id, h.tlp, h.recipients, h.named_readers, h.object, h.written_by
           FROM unnest($2::text[]) AS c(id)
           CROSS JOIN LATERAL (
             SELECT s.id, s.date_added, s.version, s.provider_org_id, s.tlp, s.recipients, s.named_readers, s.object, s.written_by FROM stix_objects s
              WHERE s.collection_id = $1 AND s.id = c.id ORDER BY s.version DESC LIMIT 1) h`,
        [collectionId, [...new Set(ids)]],
      );
      return new Map(rows.map((r) => [r.id, toHead(r)]));
    },
    async keyedIndicators(providerOrgId, keys) {
      if (keys.length === 0) return new Map<string, string>();
      const { rows } = await tx.query<{ kind: string; value: string; object_id: string }>(
        `SELECT k.kind, k.value, k.object_id FROM indicator_keys k
           JOIN unnest($3::text[], $4::text[]) AS c(kind, value) ON k.kind = c.kind AND k.value = c.value
          WHERE k.collection_id = $1 AND k.provider_org_id = $2`,
        [collectionId, providerOrgId, keys.map((k) => k.kind), keys.map((k) => k.value)],
      );
      return new Map(rows.map((r) => [indicatorKeyString(r), r.object_id]));
    },
    async setIndicatorKeys(providerOrgId, entries) {
      if (entries.length === 0) return;
      await tx.query(
        `INSERT INTO indicator_keys (collection_id, provider_org_id, kind, value, object_id)
         SELECT $1, $2, c.kind, c.value, c.object_id FROM unnest($3::text[], $4::text[], $5::text[]) AS c(kind, value, object_id)
         ON CONFLICT (collection_id, provider_org_id, kind, value) DO UPDATE SET object_id = EXCLUDED.object_id`,
        [collectionId, providerOrgId, entries.map((e) => e.kind), entries.map((e) => e.value), entries.map((e) => e.objectId)],
      );
    },
    async append(providerOrgId, versions, guard, reader) {
      if (versions.some((v) => v.providerOrgId !== providerOrgId)) throw new Error('append: every version must be provided by providerOrgId');
      const outcomes = await appendLocked(tx, collectionId, versions, nowMicros, providerOrgId, guard, reader);
      counter.added += outcomes.filter((o) => o.kind === 'added').length;
      return outcomes;
    },
    async hubObjectId(key, make) {
      await tx.query('INSERT INTO hub_object_keys (scope, key, object_id) VALUES ($1, $2, $3) ON CONFLICT (scope, key) DO NOTHING', [collectionId, key, make()]);
      const { rows } = await tx.query<{ object_id: string }>('SELECT object_id FROM hub_object_keys WHERE scope = $1 AND key = $2', [collectionId, key]);
      return (rows[0] as { object_id: string }).object_id;
    },
    async hubObjectIdsFor(keys, make) {
      const unique = [...new Set(keys)];
      const found = new Map<string, { id: string; made: boolean }>();
      if (unique.length === 0) return found;
      const made = await tx.query<{ key: string; object_id: string }>(
        `INSERT INTO hub_object_keys (scope, key, object_id) SELECT $1, c.key, c.object_id FROM unnest($2::text[], $3::text[]) AS c(key, object_id)
         ON CONFLICT (scope, key) DO NOTHING RETURNING key, object_id`,
        [collectionId, unique, unique.map(() => make())],
      );
      for (const r of made.rows) found.set(r.key, { id: r.object_id, made: true });
      if (found.size < unique.length) {
        for (const [key, id] of await knownIds(unique.filter((k) => !found.has(k)))) found.set(key, { id, made: false });
      }
      return found;
    },
    knownHubObjectIds: knownIds,
    async hubObjectIds(prefix) {
      const { rows } = await tx.query<{ key: string; object_id: string }>(
        // A byte-order range over hub_object_keys_prefix_idx (migration 021), then the exact prefix test.
        "SELECT key, object_id FROM hub_object_keys WHERE scope = $1 AND key ~>=~ $2 AND key ~<~ ($2 || chr(1114111)) AND left(key, length($2)) = $2",
        [collectionId, prefix],
      );
      return new Map(rows.map((r) => [r.key, r.object_id]));
    },
    async audit(entry: NewAuditEntry) {
      await new SqlAuditRepository(transactionSession(tx)).append(entry);
    },
  };
}

function toHead(row: HeadRow): StoredHead {
  return { ...toHistoryVersion(row), tlp: row.tlp, recipients: row.recipients, namedReaders: row.named_readers };
}

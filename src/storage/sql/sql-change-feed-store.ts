import type { ReadScope } from '../../access/read-scope';
import type { ChangeEvent, ChangeFeedStore, ChangeOperation, ChangePage, ChangeRange, ExpiryPass } from '../change-feed-store';
import { insertEvents, type NewChangeEvent } from './change-events';
import { lockClock } from './append-versions';
import type { Database, Queryable } from './database';
import { SqlParameters } from './object-queries';

/**
 * The ChangeFeedStore over SQL, for both engines. A range is two index walks merged by position:
 * stored versions along stix_objects' primary key (collection_id, date_added) and removals and
 * expiries along collection_events' (collection_id, position), each filtered by the reader's scope
 * inside the query and cut at `limit + 1` rows, so a page of `limit` reads about `limit` rows of each.
 *
 * A stored version's operation: its lifecycle (revoked, benign) when it has one; 'created' when no
 * version of the object was added to the collection before it; 'updated' otherwise.
 */

interface EventRow {
  position: string;
  object_id: string;
  type: string;
  operation: ChangeOperation;
  provider_org_id: string;
  version: string;
  json: string | null;
}

function toEvent(collectionId: string, row: EventRow): ChangeEvent {
  return {
    position: Number(row.position),
    collectionId,
    objectId: row.object_id,
    type: row.type,
    operation: row.operation,
    providerOrgId: row.provider_org_id,
    version: Number(row.version),
    ...(row.json !== null ? { json: row.json } : {}),
  };
}

/**
 * The WHERE of one branch of a range (stix_objects `o` by date_added, collection_events `e` by
 * position): one condition list per branch, as the scope predicate names unqualified columns, which
 * in each branch only that branch's table has.
 */
function rangeConditions(params: SqlParameters, range: ChangeRange): (table: 'o' | 'e', positionColumn: string) => string {
  const collection = params.add(range.collectionId);
  return (table, positionColumn) => {
    const conditions = [`${table}.collection_id = ${collection}`, params.scope(range.scope)];
    if (range.types !== undefined) conditions.push(`${table}.type = ANY(${params.add([...range.types], '::text[]')})`);
    if (range.after !== undefined) conditions.push(`${table}.${positionColumn} > ${params.add(range.after)}`);
    if (range.atMost !== undefined) conditions.push(`${table}.${positionColumn} <= ${params.add(range.atMost)}`);
    return conditions.join(' AND ');
  };
}

export class SqlChangeFeedStore implements ChangeFeedStore {
  constructor(private readonly db: Database) {}

  async events(range: ChangeRange, limit: number): Promise<ChangePage> {
    const params = new SqlParameters();
    const take = params.add(Math.max(0, limit) + 1);
    const branch = rangeConditions(params, range);
    const { rows } = await this.db.query<EventRow>(
      `SELECT * FROM (
         (SELECT o.date_added AS position, o.id AS object_id, o.type,
                 COALESCE(o.lifecycle, CASE WHEN EXISTS (SELECT 1 FROM stix_objects p WHERE p.collection_id = o.collection_id AND p.id = o.id AND p.date_added < o.date_added)
                                            THEN 'updated' ELSE 'created' END) AS operation,
                 o.provider_org_id, o.version, o.object::text AS json
            FROM stix_objects o WHERE ${branch('o', 'date_added')}
           ORDER BY o.date_added LIMIT ${take})
         UNION ALL
         (SELECT e.position, e.object_id, e.type, e.operation, e.provider_org_id, e.version, e.object::text AS json
            FROM collection_events e WHERE ${branch('e', 'position')}
           ORDER BY e.position LIMIT ${take})
       ) x ORDER BY position LIMIT ${take}`,
      params.values,
    );
    return { events: rows.slice(0, limit).map((row) => toEvent(range.collectionId, row)), more: rows.length > limit };
  }

  async countEvents(range: ChangeRange, cap: number): Promise<number> {
    const params = new SqlParameters();
    const take = params.add(Math.max(0, cap) + 1);
    const branch = rangeConditions(params, range);
    // The same two index walks as `events`, each cut at cap + 1 rows, without reading the objects.
    const { rows } = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         (SELECT 1 FROM stix_objects o WHERE ${branch('o', 'date_added')} ORDER BY o.date_added LIMIT ${take})
         UNION ALL
         (SELECT 1 FROM collection_events e WHERE ${branch('e', 'position')} ORDER BY e.position LIMIT ${take})
       ) x`,
      params.values,
    );
    return Math.min(Number(rows[0]?.n ?? 0), Math.max(0, cap) + 1);
  }

  async lastPosition(collectionId: string): Promise<number> {
    const { rows } = await this.db.query<{ last_date_added: string }>('SELECT last_date_added FROM collection_clocks WHERE collection_id = $1', [collectionId]);
    return Number(rows[0]?.last_date_added ?? 0);
  }

  async accessChanges(collectionId: string, before: ReadScope, after: ReadScope, through: number): Promise<ChangeEvent[]> {
    const params = new SqlParameters();
    const collection = params.add(collectionId);
    const upTo = params.add(through);
    // One pass over the collection's versions, grouped by object (the scope predicates name
    // unqualified columns: only stix_objects is in that FROM): `had` some version up to `through`
    // readable before, `has` a head readable now; then the head of each object that changed.
    const readableBefore = params.scope(before);
    const readableAfter = params.scope(after);
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${upTo}::bigint AS position, h.id AS object_id, h.type, h.provider_org_id, h.version,
              CASE WHEN a.has THEN 'access-gained' ELSE 'access-lost' END AS operation,
              CASE WHEN a.has THEN h.object::text END AS json
         FROM (SELECT id,
                      bool_or(date_added <= ${upTo} AND ${readableBefore}) AS had,
                      bool_or(is_head AND ${readableAfter}) AS has,
                      bool_or(is_head AND date_added <= ${upTo}) AS head_through
                 FROM stix_objects WHERE collection_id = ${collection} GROUP BY id) a
         JOIN stix_objects h ON h.collection_id = ${collection} AND h.id = a.id AND h.is_head
        WHERE (a.has AND a.head_through AND NOT a.had) OR (a.had AND NOT a.has)
        ORDER BY h.id`,
      params.values,
    );
    const changes = rows.map((row) => toEvent(collectionId, row));
    // An object removed after `through` has no head left to judge by: its removal event, which the
    // reader may no longer read, would never reach it. Whoever could read the removed head before
    // and cannot now loses the object here instead.
    const removed = new SqlParameters();
    const { rows: gone } = await this.db.query<EventRow>(
      `SELECT DISTINCT ON (e.object_id) ${removed.add(through)}::bigint AS position, e.object_id, e.type, e.provider_org_id, e.version,
              'access-lost' AS operation, NULL AS json
         FROM (SELECT object_id, type, provider_org_id, version, position, ${removed.scope(before)} AS was, ${removed.scope(after)} AS is
                 FROM collection_events
                WHERE collection_id = ${removed.add(collectionId)} AND position > ${removed.add(through)} AND operation IN ('deleted', 'purged')) e
        WHERE e.was AND NOT e.is
          AND NOT EXISTS (SELECT 1 FROM stix_objects s WHERE s.collection_id = ${removed.add(collectionId)} AND s.id = e.object_id)
        ORDER BY e.object_id, e.position`,
      removed.values,
    );
    if (gone.length === 0) return changes;
    return [...changes, ...gone.map((row) => toEvent(collectionId, row))].sort((x, y) => (x.objectId < y.objectId ? -1 : x.objectId > y.objectId ? 1 : 0));
  }

  async emitExpirations(nowMicros: number): Promise<ExpiryPass> {
    const emitted = new Map<string, number>();
    const { rows } = await this.db.query<{ collection_id: string }>('SELECT collection_id FROM collection_clocks ORDER BY collection_id');
    for (const { collection_id: collectionId } of rows) {
      const count = await this.expireCollection(collectionId, nowMicros);
      if (count > 0) emitted.set(collectionId, count);
    }
    return { emitted };
  }

  /**
   * One collection's expiry: a look without locks first (most passes find nothing and only move the
   * watermarks); when something is due, the same look again under the clock lock, which writes the
   * events. Several hub processes may run passes at once: under the lock each finds only what no
   * other has announced (the NOT EXISTS on collection_events), so each head version is announced once.
   */
  private async expireCollection(collectionId: string, nowMicros: number): Promise<number> {
    const clock = await this.lastPosition(collectionId); // committed: every row at or below it is visible
    const due = await dueExpiries(this.db, collectionId, nowMicros, clock);
    if (due.length === 0) {
      await moveWatermarks(this.db, collectionId, nowMicros, clock);
      return 0;
    }
    return this.db.transaction(async (tx) => {
      const last = await lockClock(tx, collectionId);
      const locked = await dueExpiries(tx, collectionId, nowMicros, last);
      const positions = await insertEvents(tx, collectionId, locked, nowMicros);
      await moveWatermarks(tx, collectionId, nowMicros, positions.at(-1) ?? last);
      return locked.length;
    });
  }
}

/**
 * Indicator heads, neither revoked nor benign, whose valid_until is at or before `nowMicros` and
 * not announced yet: those with valid_until past the collection's expiry watermark (the partial
 * index stix_objects_expiry_idx), and those added after its scanned watermark up to `clock` (the
 * primary key). The watermarks are read first and sent as values, so each branch is planned as the
 * narrow range it is.
 */
async function dueExpiries(db: Queryable, collectionId: string, nowMicros: number, clock: number): Promise<NewChangeEvent[]> {
  const marks = await db.query<{ expired_through: string; scanned_through: string }>('SELECT expired_through, scanned_through FROM expiry_watermarks WHERE collection_id = $1', [collectionId]);
  const expiredThrough = Number(marks.rows[0]?.expired_through ?? 0);
  const scannedThrough = Number(marks.rows[0]?.scanned_through ?? 0);
  const columns = 'o.date_added, o.id, o.type, o.version, o.provider_org_id, o.tlp, o.recipients, o.named_readers, o.object::text AS json, o.valid_until';
  // OFFSET 0 keeps it a probe per candidate through collection_events_object_idx (not an anti-join
  // that may read every event of the collection when the planner has no statistics, as on PGlite).
  const unannounced = `NOT EXISTS (SELECT 1 FROM collection_events e WHERE e.collection_id = $1 AND e.object_id = o.id AND e.version = o.version AND e.operation = 'expired' OFFSET 0)`;
  const { rows } = await db.query<{ date_added: string; id: string; type: string; version: string; provider_org_id: string; tlp: string; recipients: string[]; named_readers: string[]; json: string; valid_until: string }>(
    `SELECT ${columns} FROM stix_objects o
      WHERE o.collection_id = $1 AND o.is_head AND o.lifecycle IS NULL AND o.valid_until IS NOT NULL
        AND o.valid_until > $2 AND o.valid_until <= $3 AND o.type = 'indicator' AND ${unannounced}
     UNION ALL
     SELECT ${columns} FROM stix_objects o
      WHERE o.collection_id = $1 AND o.date_added > $4 AND o.date_added <= $5
        AND o.is_head AND o.lifecycle IS NULL AND o.valid_until <= $3 AND o.type = 'indicator' AND ${unannounced}`,
    [collectionId, expiredThrough, nowMicros, scannedThrough, clock],
  );
  const due = new Map(rows.map((r) => [r.date_added, r])); // a head found by both branches is announced once
  return [...due.values()]
    .sort((a, b) => Number(a.valid_until) - Number(b.valid_until) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({ id: r.id, type: r.type, version: Number(r.version), providerOrgId: r.provider_org_id, tlp: r.tlp, recipients: r.recipients, namedReaders: r.named_readers, operation: 'expired', json: r.json }));
}

/** Moves the collection's expiry watermarks forward (never back: a process with a slower clock changes nothing). */
async function moveWatermarks(db: Queryable, collectionId: string, expiredThrough: number, scannedThrough: number): Promise<void> {
  await db.query(
    `INSERT INTO expiry_watermarks (collection_id, expired_through, scanned_through) VALUES ($1, $2, $3)
     ON CONFLICT (collection_id) DO UPDATE
       SET expired_through = GREATEST(expiry_watermarks.expired_through, EXCLUDED.expired_through),
           scanned_through = GREATEST(expiry_watermarks.scanned_through, EXCLUDED.scanned_through)`,
    [collectionId, expiredThrough, scannedThrough],
  );
}

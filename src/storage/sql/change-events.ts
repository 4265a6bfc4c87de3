import type { StoredChangeOperation } from '../change-feed-store';
import { lockClock } from './append-versions';
import type { Queryable } from './database';

/**
 * Writing collection_events (migration 012): the events a removal or an expiry leaves, each with a
 * fresh label of the collection clock as its position. Callers hold the collection's clock lock
 * (lockClock) in the transaction that makes the change, so positions commit in order with every
 * stored version's date_added.
 */

/** The access facts and identity of a head version a removal took away. */
export interface RemovedHead {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly providerOrgId: string;
  readonly tlp: string;
  readonly recipients: readonly string[];
  readonly namedReaders: readonly string[];
}

/** One event to store. */
export interface NewChangeEvent extends RemovedHead {
  readonly operation: Exclude<StoredChangeOperation, 'created'>;
  /** The head's JSON text (never for deleted and purged). */
  readonly json?: string;
}

/** A stix_objects row as removal queries return it (RETURNING or a head look-up). */
export interface HeadRow {
  readonly id: string;
  readonly type: string;
  readonly version: string | number;
  readonly provider_org_id: string;
  readonly tlp: string;
  readonly recipients: string[];
  readonly named_readers: string[];
}

export function removedHeadOf(row: HeadRow): RemovedHead {
  return { id: row.id, type: row.type, version: Number(row.version), providerOrgId: row.provider_org_id, tlp: row.tlp, recipients: row.recipients, namedReaders: row.named_readers };
}

/** Stores `events` in order, each at the next label of the clock, and moves the clock. The caller holds the clock lock. */
export async function insertEvents(tx: Queryable, collectionId: string, events: readonly NewChangeEvent[], nowMicros: number): Promise<number[]> {
  if (events.length === 0) return [];
  let last = await lockClock(tx, collectionId); // held already: this re-reads it
  const positions = events.map(() => (last = Math.max(nowMicros, last + 1)));
  await tx.query(
    `WITH ins AS (
       INSERT INTO collection_events (collection_id, position, object_id, type, operation, version, provider_org_id, tlp, recipients, object, named_readers)
       SELECT $1, x.p, x.i, x.t, x.op, x.v, x.org, x.m, ARRAY(SELECT jsonb_array_elements_text(x.r)), x.o, ARRAY(SELECT jsonb_array_elements_text(x.nr))
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[], $12::jsonb[])
              AS x(p, i, t, op, v, org, m, r, o, nr)
     )
     UPDATE collection_clocks SET last_date_added = $11 WHERE collection_id = $1`,
    [
      collectionId,
      positions,
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.operation),
      events.map((e) => e.version),
      events.map((e) => e.providerOrgId),
      events.map((e) => e.tlp),
      events.map((e) => JSON.stringify(e.recipients)),
      events.map((e) => e.json ?? null),
      last,
      events.map((e) => JSON.stringify(e.namedReaders)),
    ],
  );
  return positions;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r, i) => r === b[i]);
const sameFacts = (a: RemovedHead, b: RemovedHead) =>
  a.providerOrgId === b.providerOrgId && a.tlp === b.tlp && sameList(a.recipients, b.recipients) && sameList(a.namedReaders, b.namedReaders);

/**
 * The events of a removal in one collection (the clock lock held, heads already restored):
 * - an object with no version left: `operation` (deleted / purged) with the removed head's facts;
 * - an object whose head was removed and an older version is now its head: that head as an event
 *   of its state ('revoked', 'benign', 'expired' when its valid_until passed, else 'updated'),
 *   preceded by `operation` with the removed head's facts when its readers differ (whoever could
 *   read the removed head but not the new one learns of the removal).
 * Earlier events carrying a removed version's content are dropped (a purge drops every earlier
 * event of the object): what was removed must not live on in the feed.
 */
export async function recordRemovals(
  tx: Queryable,
  collectionId: string,
  removedHeads: readonly RemovedHead[],
  removedVersions: ReadonlyMap<string, readonly number[]> | 'all',
  operation: 'deleted' | 'purged',
  nowMicros: number,
): Promise<void> {
  if (removedHeads.length === 0 && removedVersions !== 'all' && removedVersions.size === 0) return;
  const ids = [...new Set(removedHeads.map((h) => h.id))];
  if (removedVersions === 'all') {
    if (ids.length > 0) await tx.query('DELETE FROM collection_events WHERE collection_id = $1 AND object_id = ANY($2::text[])', [collectionId, ids]);
  } else {
    for (const [id, versions] of removedVersions) {
      await tx.query(`DELETE FROM collection_events WHERE collection_id = $1 AND object_id = $2 AND version = ANY($3::bigint[]) AND object IS NOT NULL`, [collectionId, id, [...versions]]);
    }
  }
  if (ids.length === 0) return;
  const { rows } = await tx.query<HeadRow & { json: string; lifecycle: 'revoked' | 'benign' | null; valid_until: string | null }>(
    `SELECT id, type, version, provider_org_id, tlp, recipients, named_readers, object::text AS json, lifecycle, valid_until
       FROM stix_objects WHERE collection_id = $1 AND id = ANY($2::text[]) AND is_head`,
    [collectionId, ids],
  );
  const heads = new Map(rows.map((r) => [r.id, r]));
  const events: NewChangeEvent[] = [];
  for (const removed of removedHeads) {
    const head = heads.get(removed.id);
    if (head === undefined) {
      events.push({ ...removed, operation });
      continue;
    }
    const now = removedHeadOf(head);
    if (!sameFacts(removed, now)) events.push({ ...removed, operation });
    const expired = head.valid_until !== null && Number(head.valid_until) <= nowMicros;
    events.push({ ...now, operation: head.lifecycle ?? (expired ? 'expired' : 'updated'), json: head.json });
  }
  await insertEvents(tx, collectionId, events, nowMicros);
}

import type { ReadScope } from '../../access/read-scope';
import type { AppendGuard, AppendOutcome, NewObjectVersion, ProviderAppendOutcome } from '../object-store';
import type { NewAuditEntry } from '../tenancy-store';
import { guardVersions, recordReferences, referencesOf } from './append-guard';
import type { Database, Queryable } from './database';
import { withNamedReaders } from './named-readers';
import { parseMicros } from '../../domain/timestamps';
import { SqlAuditRepository } from './repositories/audit-repository';
import { transactionSession } from './repositories/sql-session';
import { keyStoredIndicators, type StoredHead } from './inline-analysis-keys';

/**
 * The write path of stix_objects, shared by SqlObjectStore.append and appendAsProvider.
 *
 * Order: versions of one collection must commit in date_added order, so a writer holds the
 * collection's clock row (FOR UPDATE) from assigning date_added until commit, and writers of one
 * collection take turns. To keep each turn short, what can be known beforehand is looked up before
 * the lock (which versions are stored already, which ids another organization provides); under the
 * lock one statement inserts the rest, re-checking both conditions itself (ON CONFLICT for stored
 * versions, a NOT EXISTS probe for foreign ids), and moves the clock. Anything a concurrent writer
 * stored in between is then classified again, under the lock.
 *
 * Every lookup reads the stored versions of each candidate's object in one index range
 * (LATERAL, one aggregate per candidate: is this version stored, does another organization provide
 * the object, is it revoked, which version is its head), whatever the table statistics say: a plain
 * join planned on stale statistics can scan the whole collection.
 */

const COLUMNS = 'collection_id, date_added, id, type, spec_version, version, provider_org_id, tlp, recipients, object, written_by, valid_until, is_head, named_readers';

const key = (id: string, version: number) => `${id}\u0000${version}`;

type Known =
  | { kind: 'duplicate'; dateAdded: number; identical: boolean }
  | { kind: 'provided-by-another' }
  | { kind: 'revoked' }
  | { kind: 'refused'; reason: string };

/**
 * Stores the versions in one transaction. With `providerOrgId`, a version whose id an organization
 * other than `providerOrgId` provides in the collection is not stored ('provided-by-another'). With
 * `reader` (the writer organization's scope), every report's named readers are worked out under the
 * lock (withNamedReaders), before `guard` sees the versions.
 */
export async function appendVersions(
  db: Database,
  collectionId: string,
  versions: readonly NewObjectVersion[],
  nowMicros: number,
  providerOrgId?: string,
  audit?: (outcomes: readonly ProviderAppendOutcome[]) => readonly NewAuditEntry[],
  guard?: AppendGuard,
  reader?: ReadScope,
): Promise<ProviderAppendOutcome[]> {
  if (versions.length === 0) return [];
  const jsons = versions.map((v) => JSON.stringify(v.object)); // encoded once, for comparisons and the insert
  return db.transaction(async (tx) => {
    const known = await classify(tx, collectionId, versions, jsons, providerOrgId, allIndexes(versions));
    const last = await lockClock(tx, collectionId);
    const outcomes = await appendUnderLock(tx, collectionId, versions, jsons, known, last, nowMicros, providerOrgId, guard, reader);
    if (audit !== undefined) {
      const auditLog = new SqlAuditRepository(transactionSession(tx));
      for (const entry of audit(outcomes)) await auditLog.append(entry);
    }
    return outcomes;
  });
}

/**
 * append for a transaction that already holds the collection's clock lock (lockClock): everything is
 * classified under the lock, so the outcome cannot change before commit.
 */
export async function appendLocked(
  tx: Queryable,
  collectionId: string,
  versions: readonly NewObjectVersion[],
  nowMicros: number,
  providerOrgId?: string,
  guard?: AppendGuard,
  reader?: ReadScope,
): Promise<ProviderAppendOutcome[]> {
  if (versions.length === 0) return [];
  const jsons = versions.map((v) => JSON.stringify(v.object));
  const known = await classify(tx, collectionId, versions, jsons, providerOrgId, allIndexes(versions));
  const last = await lockClock(tx, collectionId); // held already: this re-reads it
  return appendUnderLock(tx, collectionId, versions, jsons, known, last, nowMicros, providerOrgId, guard, reader);
}

async function ensureClock(tx: Queryable, collectionId: string): Promise<void> {
  await tx.query('INSERT INTO collection_clocks (collection_id, last_date_added) VALUES ($1, 0) ON CONFLICT (collection_id) DO NOTHING', [collectionId]);
}

/**
 * Takes the collection's clock row until commit: writers of one collection commit one after another,
 * in date_added order. Returns the last date_added assigned.
 */
export async function lockClock(tx: Queryable, collectionId: string): Promise<number> {
  // The row exists from the collection's first write on: create it only when it is missing.
  const held = await readClock(tx, collectionId);
  if (held !== undefined) return held;
  await ensureClock(tx, collectionId);
  return (await readClock(tx, collectionId)) ?? 0;
}

async function readClock(tx: Queryable, collectionId: string): Promise<number | undefined> {
  const clock = await tx.query<{ last_date_added: string }>('SELECT last_date_added FROM collection_clocks WHERE collection_id = $1 FOR UPDATE', [collectionId]);
  const row = clock.rows[0];
  return row === undefined ? undefined : Number(row.last_date_added);
}

async function appendUnderLock(
  tx: Queryable,
  collectionId: string,
  given: readonly NewObjectVersion[],
  jsons: readonly string[],
  known: Map<number, Known>,
  lastDateAdded: number,
  nowMicros: number,
  providerOrgId: string | undefined,
  guard: AppendGuard | undefined,
  reader: ReadScope | undefined,
): Promise<ProviderAppendOutcome[]> {
  let last = lastDateAdded;
  if (providerOrgId !== undefined) refuseAfterRevocationInBatch(given, known);
  const named = reader === undefined ? undefined : await withNamedReaders(tx, collectionId, given, allIndexes(given).filter((i) => !known.has(i)), reader);
  const versions = named?.versions ?? given;
  const refs = referencesOf(versions);
  if (guard !== undefined) {
    const open = allIndexes(versions).filter((i) => !known.has(i));
    for (const [index, reason] of await guardVersions(tx, collectionId, versions, refs, open, guard, named?.unreadable)) known.set(index, { kind: 'refused', reason });
  }
  const outcomes: (ProviderAppendOutcome | undefined)[] = versions.map((_v, index) => known.get(index));
  const fresh: { index: number; dateAdded: number }[] = [];
  const inBatch = new Map<string, number>(); // key -> index of its first fresh occurrence
  versions.forEach((v, index) => {
    if (known.has(index)) return;
    const first = inBatch.get(key(v.id, v.version));
    if (first !== undefined) return; // settled below, once the first occurrence's fate is known
    last = Math.max(nowMicros, last + 1);
    fresh.push({ index, dateAdded: last });
    inBatch.set(key(v.id, v.version), index);
  });

  const inserted = await insertFresh(tx, collectionId, versions, jsons, fresh, lastDateAdded, last, providerOrgId);
  await recordReferences(tx, collectionId, versions, refs, fresh.filter((f) => inserted.has(f.dateAdded)).map((f) => f.index));
  const missed = fresh.filter((f) => !inserted.has(f.dateAdded)).map((f) => f.index);
  // Stored (or taken) by a concurrent writer after the first look: classify again, now under the lock.
  const late = missed.length > 0 ? await classify(tx, collectionId, versions, jsons, providerOrgId, missed) : new Map<number, Known>();
  for (const f of fresh) outcomes[f.index] = inserted.has(f.dateAdded) ? { kind: 'added', dateAdded: f.dateAdded } : late.get(f.index);

  return versions.map((v, index): ProviderAppendOutcome => {
    const outcome = outcomes[index];
    if (outcome) return outcome;
    // A repeat within this batch: it shares the fate of the first occurrence.
    const firstIndex = inBatch.get(key(v.id, v.version)) as number;
    const first = outcomes[firstIndex];
    if (!first) throw new Error(`append: no outcome for version ${index}`);
    if (first.kind === 'provided-by-another' || first.kind === 'revoked' || first.kind === 'refused') return first;
    const dateAdded = first.dateAdded;
    const identical = jsons[index] === jsons[firstIndex] && (first.kind === 'added' || first.identical);
    return { kind: 'duplicate', dateAdded, identical };
  });
}

/**
 * Revocation is final (STIX 2.1 §3.6.2): a batch that revokes an object must not also bring a later
 * version of it. Such later versions are refused as 'revoked', like versions of an object already
 * stored revoked (which classify and insertFresh refuse).
 */
function refuseAfterRevocationInBatch(versions: readonly NewObjectVersion[], known: Map<number, Known>): void {
  const revokedAt = new Map<string, number>();
  versions.forEach((v, index) => {
    if (known.has(index) || v.object.revoked !== true) return;
    revokedAt.set(v.id, Math.min(revokedAt.get(v.id) ?? Infinity, v.version));
  });
  if (revokedAt.size === 0) return;
  versions.forEach((v, index) => {
    const at = revokedAt.get(v.id);
    if (at !== undefined && !known.has(index) && v.version > at) known.set(index, { kind: 'revoked' });
  });
}

/** Narrows outcomes of an append without a provider guard, which are never 'provided-by-another'. */
export function withoutProviderGuard(outcomes: readonly ProviderAppendOutcome[]): AppendOutcome[] {
  return outcomes.map((o) => {
    if (o.kind === 'provided-by-another' || o.kind === 'revoked' || o.kind === 'refused') throw new Error('append without a provider guard refused a version');
    return o;
  });
}

function allIndexes(versions: readonly unknown[]): number[] {
  return versions.map((_v, index) => index);
}

/**
 * For the versions at `indexes`: those already stored, with their date_added and whether the stored
 * object is the same, and those whose id another organization provides (when `providerOrgId` is
 * given) and that are not an identical copy of a stored version. The objects are sent for comparison only when something matched (rare; parsing JSON costs).
 */
async function classify(
  tx: Queryable,
  collectionId: string,
  versions: readonly NewObjectVersion[],
  jsons: readonly string[],
  providerOrgId: string | undefined,
  indexes: readonly number[],
): Promise<Map<number, Known>> {
  const probe = await tx.query<{ n: number; date_added: string | null; foreign: boolean; revoked: boolean }>(
    `SELECT c.n, e.date_added, $5::text IS NOT NULL AND e.foreign IS TRUE AS foreign, $5::text IS NOT NULL AND e.revoked IS TRUE AS revoked
       FROM unnest($2::int[], $3::text[], $4::bigint[]) AS c(n, id, version)
       CROSS JOIN LATERAL (
         SELECT max(s.date_added) FILTER (WHERE s.version = c.version) AS date_added,
                bool_or(s.provider_org_id <> $5) AS foreign, bool_or(s.lifecycle IS NOT NULL) AS revoked
           FROM stix_objects s WHERE s.collection_id = $1 AND s.id = c.id) e
      WHERE e.date_added IS NOT NULL OR ($5::text IS NOT NULL AND (e.foreign OR e.revoked))`,
    [collectionId, indexes, indexes.map((i) => versions[i]?.id), indexes.map((i) => versions[i]?.version), providerOrgId ?? null],
  );
  const known = new Map<number, Known>();
  const stored: { index: number; dateAdded: number; foreign: boolean }[] = [];
  for (const row of probe.rows) {
    if (row.date_added !== null) stored.push({ index: row.n, dateAdded: Number(row.date_added), foreign: row.foreign });
    else known.set(row.n, row.foreign ? { kind: 'provided-by-another' } : { kind: 'revoked' });
  }
  if (stored.length === 0) return known;
  const compared = await tx.query<{ n: number; identical: boolean }>(
    `SELECT c.n, o.object = c.object AS identical
       FROM unnest($2::int[], $3::bigint[], $4::jsonb[]) AS c(n, date_added, object)
       CROSS JOIN LATERAL (SELECT s.object FROM stix_objects s WHERE s.collection_id = $1 AND s.date_added = c.date_added LIMIT 1) o`,
    [collectionId, stored.map((s) => s.index), stored.map((s) => s.dateAdded), stored.map((s) => jsons[s.index])],
  );
  const identical = new Map(compared.rows.map((r) => [r.n, r.identical]));
  for (const s of stored) {
    const same = identical.get(s.index) === true;
    // Re-posting an identical copy of a stored version is harmless whoever provides it (bundles
    // repeat shared marking definitions and identities); a different one under a foreign id is refused.
    known.set(s.index, s.foreign && !same ? { kind: 'provided-by-another' } : { kind: 'duplicate', dateAdded: s.dateAdded, identical: same });
  }
  return known;
}

/**
 * Inserts the fresh versions, skipping any that is stored meanwhile or whose id another organization
 * provides meanwhile, and moves the clock to `last`, in one statement. Returns the date_added values
 * of the rows inserted. (Skipped rows leave gaps in date_added, which only needs to increase.)
 *
 * The same statement keeps is_head (migration 008): a fresh version becomes its object's head when it
 * is the highest (spec_version, version) of its object in the batch and outranks the stored head; the
 * stored head then loses the mark. Writers of a collection take turns under its clock lock, so no
 * other writer moves a head of this collection meanwhile. The indicator heads stored get their
 * analysis keys in the same transaction, and the versions they supersede lose theirs
 * (inline-analysis-keys.ts); `before` is the clock when the lock was taken.
 */
async function insertFresh(
  tx: Queryable,
  collectionId: string,
  versions: readonly NewObjectVersion[],
  jsons: readonly string[],
  fresh: readonly { index: number; dateAdded: number }[],
  before: number,
  last: number,
  providerOrgId: string | undefined,
): Promise<Set<number>> {
  if (fresh.length === 0) return new Set();
  const at = (f: { index: number }) => versions[f.index] as NewObjectVersion;
  const top = topOfBatch(fresh.map(at));
  const result = await tx.query<{ date_added: string; is_head: boolean; demoted: boolean }>(
    `WITH ins AS (
       INSERT INTO stix_objects (${COLUMNS})
       SELECT $1, x.d, x.i, x.t, x.s, x.v, x.p, x.m, ARRAY(SELECT jsonb_array_elements_text(x.r)), x.o, x.w, x.u,
              x.top AND (e.head_version IS NULL OR (x.s, x.v) > (e.head_spec, e.head_version)),
              ARRAY(SELECT jsonb_array_elements_text(x.nr))
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[], $13::text[], $14::bigint[], $15::boolean[], $16::jsonb[])
                AS x(d, i, t, s, v, p, m, r, o, w, u, top, nr)
         CROSS JOIN LATERAL (
           SELECT bool_or(s.provider_org_id <> $12) AS taken, bool_or(s.lifecycle IS NOT NULL) AS final,
                  max(s.spec_version) FILTER (WHERE s.is_head) AS head_spec, max(s.version) FILTER (WHERE s.is_head) AS head_version
             FROM stix_objects s WHERE s.collection_id = $1 AND s.id = x.i) e
        WHERE $12::text IS NULL OR (e.taken IS NOT TRUE AND e.final IS NOT TRUE)
       ON CONFLICT (collection_id, id, version) DO NOTHING
       RETURNING date_added, id, is_head
     ), demoted AS (
       UPDATE stix_objects s SET is_head = false FROM ins
        WHERE ins.is_head AND s.collection_id = $1 AND s.id = ins.id AND s.is_head
       RETURNING s.date_added
     ), clock AS (
       UPDATE collection_clocks SET last_date_added = $11 WHERE collection_id = $1
     )
     SELECT date_added, is_head, false AS demoted FROM ins
     UNION ALL SELECT date_added, false, true FROM demoted`,
    [
      collectionId,
      fresh.map((f) => f.dateAdded),
      fresh.map((f) => at(f).id),
      fresh.map((f) => at(f).type),
      fresh.map((f) => at(f).specVersion),
      fresh.map((f) => at(f).version),
      fresh.map((f) => at(f).providerOrgId),
      fresh.map((f) => at(f).tlp),
      fresh.map((f) => JSON.stringify(at(f).recipients)),
      fresh.map((f) => jsons[f.index]),
      last,
      providerOrgId ?? null,
      fresh.map((f) => at(f).writtenBy ?? null),
      fresh.map((f) => validUntilOf(at(f))),
      top,
      fresh.map((f) => JSON.stringify(at(f).namedReaders ?? [])),
    ],
  );
  const inserted = new Set<number>();
  const heads: StoredHead[] = [];
  const demoted: number[] = [];
  const objectAt = new Map(fresh.map((f) => [f.dateAdded, at(f)]));
  for (const row of result.rows) {
    const dateAdded = Number(row.date_added);
    if (row.demoted) {
      demoted.push(dateAdded);
      continue;
    }
    inserted.add(dateAdded);
    const version = objectAt.get(dateAdded);
    if (row.is_head && version?.type === 'indicator') heads.push({ dateAdded, object: version.object });
  }
  await keyStoredIndicators(tx, collectionId, heads, demoted, before, last);
  return inserted;
}

/** For each version, whether it is the highest (spec_version, version) of its object among `batch`. */
function topOfBatch(batch: readonly NewObjectVersion[]): boolean[] {
  const best = new Map<string, number>();
  batch.forEach((v, index) => {
    const current = best.get(v.id);
    if (current === undefined || outranks(v, batch[current] as NewObjectVersion)) best.set(v.id, index);
  });
  return batch.map((v, index) => best.get(v.id) === index);
}

/** The order of is_head: spec_version first (compared as text, as SQL does), then version. */
function outranks(a: NewObjectVersion, b: NewObjectVersion): boolean {
  if (a.specVersion !== b.specVersion) return a.specVersion > b.specVersion;
  return a.version > b.version;
}

/** An indicator's valid_until in microseconds, read as stateOf reads it; null otherwise. */
function validUntilOf(v: NewObjectVersion): number | null {
  if (v.type !== 'indicator' || typeof v.object.valid_until !== 'string') return null;
  return parseMicros(v.object.valid_until) ?? null;
}

/**
 * Marks the head of each of `ids` in the collection again after some of their versions were deleted
 * (TAXII DELETE, purge by provider). The caller holds the collection's clock lock.
 */
export async function restoreHeads(tx: Queryable, collectionId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(
    `UPDATE stix_objects o SET is_head = true
       FROM (SELECT DISTINCT ON (id) id, date_added FROM stix_objects
              WHERE collection_id = $1 AND id = ANY($2::text[])
              ORDER BY id, spec_version DESC, version DESC) h
      WHERE o.collection_id = $1 AND o.date_added = h.date_added AND NOT o.is_head`,
    [collectionId, [...new Set(ids)]],
  );
}

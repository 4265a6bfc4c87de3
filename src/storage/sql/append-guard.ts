import { referencedIds } from '../../domain/sharing/stix-references';
import type { TlpLevel } from '../../domain/tenancy';
import type { AppendGuard, GuardedFacts, NewObjectVersion } from '../object-store';
import type { Queryable } from './database';

/**
 * The parts of the write path that know about references between objects: the facts a write guard
 * needs (read under the collection's clock lock), and the object_references rows of stored versions.
 */

type FactsRow = { id: string; version: string; provider_org_id: string; tlp: TlpLevel; recipients: string[]; named_readers: string[] };
const toFacts = (r: FactsRow): GuardedFacts => ({ id: r.id, version: Number(r.version), providerOrgId: r.provider_org_id, tlp: r.tlp, recipients: r.recipients, namedReaders: r.named_readers });

const factsOf = (v: NewObjectVersion): GuardedFacts => ({ id: v.id, version: v.version, providerOrgId: v.providerOrgId, tlp: v.tlp, recipients: v.recipients, namedReaders: v.namedReaders ?? [] });

/**
 * Asks `guard` about each version at `indexes` (those not settled yet), in batch order, and returns
 * the reasons of those it refuses. A version the guard accepts counts for the later ones: as its
 * object's latest version, as a referenced object and as a referrer. `unreadable` names, per report,
 * the objects it reports on that its writer may not read: they are not shown to the guard, whose
 * refusal would tell the writer they exist (the report names nobody for them, see named-readers.ts).
 */
export async function guardVersions(
  tx: Queryable,
  collectionId: string,
  versions: readonly NewObjectVersion[],
  refs: readonly (readonly string[])[],
  indexes: readonly number[],
  guard: AppendGuard,
  unreadable?: ReadonlyMap<number, ReadonlySet<string>>,
): Promise<Map<number, string>> {
  const refused = new Map<number, string>();
  if (indexes.length === 0) return refused;
  const ids = new Set<string>();
  for (const i of indexes) {
    ids.add((versions[i] as NewObjectVersion).id);
    for (const ref of refs[i] ?? []) ids.add(ref);
  }
  const { latest, referrers } = await storedFacts(tx, collectionId, [...ids]);
  for (const i of indexes) {
    const version = versions[i] as NewObjectVersion;
    const current = latest.get(version.id);
    const reason = guard(version, {
      ...(current !== undefined ? { latest: current } : {}),
      referenced: (refs[i] ?? []).flatMap((ref) => {
        if (unreadable?.get(i)?.has(ref) === true) return [];
        const facts = latest.get(ref);
        return facts !== undefined ? [facts] : [];
      }),
      referrers: current === undefined ? (referrers.get(version.id) ?? []) : [],
    });
    if (reason !== undefined) {
      refused.set(i, reason);
      continue;
    }
    const facts = factsOf(version);
    if (current === undefined || current.version < version.version) latest.set(version.id, facts);
    for (const ref of refs[i] ?? []) {
      const list = referrers.get(ref);
      if (list) list.push(facts);
      else referrers.set(ref, [facts]);
    }
  }
  return refused;
}

/**
 * In one round trip (the caller holds the collection's lock): the latest stored version of each of
 * `ids`, and for each of them that has no stored version, the latest version of every stored object
 * naming it. Both probe indexes per id, whatever the planner's statistics say. Each id is looked up
 * once (the materialized CTE), and only the ids not stored reach object_references: a batch names
 * widely shared objects (the provider's identity, marking definitions, a campaign), and joining
 * object_references on those before dropping them read every reference to them, a cost growing
 * with the collection (3 s per submission at 1,000,000 indicators, docs/benchmarks.md).
 */
async function storedFacts(tx: Queryable, collectionId: string, ids: readonly string[]): Promise<{ latest: Map<string, GuardedFacts>; referrers: Map<string, GuardedFacts[]> }> {
  const latest = new Map<string, GuardedFacts>();
  const referrers = new Map<string, GuardedFacts[]>();
  if (ids.length === 0) return { latest, referrers };
  const { rows } = await tx.query<FactsRow & { target_id: string | null }>(
    `WITH c AS MATERIALIZED (
       SELECT c.id AS asked, h.id, h.version, h.provider_org_id, h.tlp, h.recipients, h.named_readers
         FROM unnest($2::text[]) AS c(id)
         LEFT JOIN LATERAL (
           SELECT s.id, s.version, s.provider_org_id, s.tlp, s.recipients, s.named_readers FROM stix_objects s
            WHERE s.collection_id = $1 AND s.id = c.id ORDER BY s.version DESC LIMIT 1) h ON true)
     SELECT NULL::text AS target_id, c.id, c.version, c.provider_org_id, c.tlp, c.recipients, c.named_readers
       FROM c WHERE c.id IS NOT NULL
     UNION ALL
     SELECT r.target_id, h.id, h.version, h.provider_org_id, h.tlp, h.recipients, h.named_readers
       FROM c
       JOIN object_references r ON r.collection_id = $1 AND r.target_id = c.asked
       CROSS JOIN LATERAL (
         SELECT s.id, s.version, s.provider_org_id, s.tlp, s.recipients, s.named_readers FROM stix_objects s
          WHERE s.collection_id = r.collection_id AND s.id = r.source_id ORDER BY s.version DESC LIMIT 1) h
      WHERE c.id IS NULL`,
    [collectionId, ids],
  );
  for (const row of rows) {
    if (row.target_id === null) {
      latest.set(row.id, toFacts(row));
      continue;
    }
    const list = referrers.get(row.target_id);
    if (list) list.push(toFacts(row));
    else referrers.set(row.target_id, [toFacts(row)]);
  }
  return { latest, referrers };
}

/** The ids each version names (TLP marking-definitions left out). */
export function referencesOf(versions: readonly NewObjectVersion[]): string[][] {
  return versions.map((v) => referencedIds(v.object, v.id));
}

/** Records the references of the versions stored at `indexes`. */
export async function recordReferences(tx: Queryable, collectionId: string, versions: readonly NewObjectVersion[], refs: readonly (readonly string[])[], indexes: readonly number[]): Promise<void> {
  const sources: string[] = [];
  const targets: string[] = [];
  for (const i of indexes) {
    for (const ref of refs[i] ?? []) {
      sources.push((versions[i] as NewObjectVersion).id);
      targets.push(ref);
    }
  }
  if (sources.length === 0) return;
  await tx.query(
    `INSERT INTO object_references (collection_id, target_id, source_id)
     SELECT $1, t, s FROM unnest($2::text[], $3::text[]) AS x(t, s)
     ON CONFLICT DO NOTHING`,
    [collectionId, targets, sources],
  );
}

import { REPORT_TYPES, reportedObjectIds } from '../../access/named-readers';
import type { ReadScope } from '../../access/read-scope';
import type { NewObjectVersion } from '../object-store';
import type { Queryable } from './database';
import { scopeFilter } from './scope-filter';

/**
 * The named readers of reports about to be stored (migration 017): for each report at `indexes`
 * (a sighting, opinion or note), the providers of the objects it reports on that are stored in the
 * collection and that `reader` (the writer organization's scope) may read, other than the report's own
 * provider. The caller holds the collection's clock lock, so what is read stays true until commit.
 * A reference to anything else names nobody, silently: an error would tell the writer it exists.
 * Returns the versions with namedReaders set on those reports (the others as they came), and per
 * report the stored objects it reports on that the writer may not read: the write guard
 * leaves those out of its reference check, since refusing would tell the writer that they exist.
 */
export async function withNamedReaders(
  tx: Queryable,
  collectionId: string,
  versions: readonly NewObjectVersion[],
  indexes: readonly number[],
  reader: ReadScope,
): Promise<{ versions: NewObjectVersion[]; unreadable: Map<number, Set<string>> }> {
  const reports: number[] = [];
  const refs: string[] = [];
  const found = new Map<number, Set<string>>();
  const unreadable = new Map<number, Set<string>>();
  for (const index of indexes) {
    const v = versions[index] as NewObjectVersion;
    if (!REPORT_TYPES.has(v.type)) continue;
    found.set(index, new Set());
    for (const ref of reportedObjectIds(v.type, v.object)) {
      reports.push(index);
      refs.push(ref);
    }
  }
  if (refs.length > 0) {
    const filter = scopeFilter(reader, 4);
    // One index range per reference on (collection_id, id, version); the scope predicate names the columns of `s`.
    const { rows } = await tx.query<{ n: number; ref: string; provider_org_id: string; readable: boolean }>(
      `SELECT c.n, c.ref, f.provider_org_id, f.readable
         FROM unnest($2::int[], $3::text[]) AS c(n, ref)
         CROSS JOIN LATERAL (
           SELECT s.provider_org_id, bool_or(${filter.sql}) AS readable FROM stix_objects s
            WHERE s.collection_id = $1 AND s.id = c.ref
            GROUP BY s.provider_org_id) f`,
      [collectionId, reports, refs, ...filter.params],
    );
    for (const row of rows) {
      const v = versions[row.n] as NewObjectVersion;
      if (!row.readable) {
        const hidden = unreadable.get(row.n);
        if (hidden) hidden.add(row.ref);
        else unreadable.set(row.n, new Set([row.ref]));
      } else if (row.provider_org_id !== v.providerOrgId) found.get(row.n)?.add(row.provider_org_id);
    }
  }
  const named = versions.map((v, index) => {
    const readers = found.get(index);
    return readers === undefined ? v : { ...v, namedReaders: [...readers].sort() };
  });
  return { versions: named, unreadable };
}

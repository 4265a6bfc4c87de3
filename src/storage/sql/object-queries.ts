import type { ReadScope } from '../../access/read-scope';
import type { VersionMatch } from '../../domain/object-filters';
import type { ObjectDeletion, ObjectPageSelection, ObjectSelection } from '../object-store';
import { scopeFilter } from './scope-filter';

/**
 * The SQL of the TAXII 2.1 object queries over stix_objects (alias `o`).
 *
 * The default selection (the latest version on the highest spec version) reads the maintained is_head
 * mark and costs nothing per row. Every other version selection runs among readable rows only and
 * costs a few index probes per candidate row,
 * never a window over the collection: a row is the `last` version iff NOT EXISTS a readable row of
 * the same (collection_id, id) with a higher version — a range probe on the unique
 * (collection_id, id, version) index. A page therefore walks the primary key (collection_id,
 * date_added) from its cursor and stops after limit + 1 selected rows.
 *
 * The scope predicate names its columns unqualified; inside a probe they resolve to the probe's row
 * (`o2`), in the outer query to `o`, so one predicate text and one set of parameters serve both.
 */

/** Collects positional parameters; `add` returns the placeholder of the value it adds. */
export class SqlParameters {
  readonly values: unknown[] = [];

  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }

  /** The scope predicate with its parameters appended. */
  scope(scope: ReadScope): string {
    const filter = scopeFilter(scope, this.values.length + 1);
    this.values.push(...filter.params);
    return filter.sql;
  }
}

/** The conditions on `o` that pick the selected rows (no ordering, no paging). */
export function selectionConditions(selection: ObjectSelection, params: SqlParameters): string[] {
  const collection = params.add(selection.collectionId);
  const readable = params.scope(selection.scope);
  const conditions = [`o.collection_id = ${collection}`, readable];
  if (selection.ids !== undefined) conditions.push(oneOf('o.id', selection.ids, params));
  if (selection.types !== undefined) conditions.push(oneOf('o.type', selection.types, params));

  // The default (highest spec version, last version) is the maintained head: no probes.
  if (isHeadSelection(selection)) {
    conditions.push('o.is_head');
    return conditions;
  }
  // What a probe row must share with `o` to compete with it for first/last.
  const probeBase = `o2.collection_id = o.collection_id AND o2.id = o.id AND ${readable}`;
  const probe = (condition: string) => `NOT EXISTS (SELECT 1 FROM stix_objects o2 WHERE ${probeBase} AND ${condition})`;
  const spec = selection.specVersions;
  let competitors: Competitors;
  switch (spec.kind) {
    case 'listed': {
      const listed = params.add([...spec.values], '::text[]');
      conditions.push(`o.spec_version = ANY(${listed})`);
      competitors = amongSpecVersions(`o2.spec_version = ANY(${listed})`, probe);
      break;
    }
    case 'any':
      competitors = amongSpecVersions('TRUE', probe);
      break;
    case 'latest':
      competitors = onLatestSpecVersion(probe);
      break;
  }
  conditions.push(versionCondition(selection.versions, competitors, params));
  return conditions;
}

/**
 * `match[version]=last` on the default spec version: the row marked is_head (migration 008), the same
 * row for every reader who may read the object at all, because a later version never narrows its
 * audience. A reader who may read an older version but not the head (possible only after a policy
 * change) gets no version of that object rather than an older one.
 */
function isHeadSelection(selection: ObjectSelection): boolean {
  const v = selection.versions;
  return selection.specVersions.kind === 'latest' && v.kind === 'some' && v.last && !v.first && v.at.length === 0;
}

/** For one row `o`: is it the first, the last, on its object's selected spec version at all. */
interface Competitors {
  readonly first: string;
  readonly last: string;
  readonly onSpec: string;
}

/** Versions compete within the spec versions `o2Spec` admits (the listed ones, or all). */
function amongSpecVersions(o2Spec: string, probe: (condition: string) => string): Competitors {
  return { first: probe(`${o2Spec} AND o2.version < o.version`), last: probe(`${o2Spec} AND o2.version > o.version`), onSpec: 'TRUE' };
}

/**
 * The default: the row must carry its object's highest readable spec version, and compete only
 * with versions of that spec version. Every probe bounds o2.version on one side of o.version, so
 * it is an index range that excludes o itself: for an object with one version each probe finds no
 * index entry and touches no table row. Versions are unique per object, so "higher spec, newer"
 * and "higher spec, older" together are "higher spec".
 */
function onLatestSpecVersion(probe: (condition: string) => string): Competitors {
  const olderHigherSpec = probe('o2.version < o.version AND o2.spec_version > o.spec_version');
  const newerHigherSpec = probe('o2.version > o.version AND o2.spec_version > o.spec_version');
  return {
    first: `${probe('o2.version < o.version AND o2.spec_version >= o.spec_version')} AND ${newerHigherSpec}`,
    last: `${probe('o2.version > o.version AND o2.spec_version >= o.spec_version')} AND ${olderHigherSpec}`,
    onSpec: `${newerHigherSpec} AND ${olderHigherSpec}`,
  };
}

function versionCondition(versions: VersionMatch, competitors: Competitors, params: SqlParameters): string {
  if (versions.kind === 'all') return competitors.onSpec;
  const alternatives: string[] = [];
  if (versions.first) alternatives.push(`(${competitors.first})`);
  if (versions.last) alternatives.push(`(${competitors.last})`);
  if (versions.at.length > 0) {
    // An object without created/modified is stored with version 0; its TAXII version is its date_added.
    const at = params.add([...versions.at], '::bigint[]');
    alternatives.push(`((o.version = ANY(${at}) OR (o.version = 0 AND o.date_added = ANY(${at}))) AND ${competitors.onSpec})`);
  }
  return alternatives.length > 0 ? `(${alternatives.join(' OR ')})` : 'FALSE';
}

function oneOf(column: string, values: readonly string[], params: SqlParameters): string {
  return values.length === 1 ? `${column} = ${params.add(values[0])}` : `${column} = ANY(${params.add([...values], '::text[]')})`;
}

const ENTRY_COLUMNS = 'o.date_added, o.id, o.type, o.spec_version, o.version';
// The version text exactly as the object carries it, so manifest and versions repeat the object's own `modified`.
const STIX_VERSION_COLUMN = "CASE WHEN o.version = 0 THEN NULL ELSE COALESCE(o.object->>'modified', o.object->>'created') END AS stix_version";

/** A page of selected rows in date_added order, limit + 1 rows so the caller can tell whether more follow. */
export function selectPageSql(query: ObjectPageSelection, withObject: boolean): { text: string; values: unknown[] } {
  const params = new SqlParameters();
  const conditions = selectionConditions(query, params);
  if (query.addedAfter !== undefined) conditions.push(`o.date_added > ${params.add(query.addedAfter)}`);
  const limit = params.add(query.limit + 1);
  return {
    text: `SELECT ${ENTRY_COLUMNS}, ${withObject ? 'o.object::text AS json' : STIX_VERSION_COLUMN}
             FROM stix_objects o
            WHERE ${conditions.join('\n              AND ')}
            ORDER BY o.date_added
            LIMIT ${limit}`,
    values: params.values,
  };
}

/** The distinct provider/marking facts of one object's readable versions. */
export function readableFactsSql(collectionId: string, scope: ReadScope, id: string): { text: string; values: unknown[] } {
  const params = new SqlParameters();
  const collection = params.add(collectionId);
  const objectId = params.add(id);
  const readable = params.scope(scope);
  return {
    text: `SELECT DISTINCT o.provider_org_id, o.tlp, o.recipients, o.named_readers
             FROM stix_objects o
            WHERE o.collection_id = ${collection} AND o.id = ${objectId} AND ${readable}`,
    values: params.values,
  };
}

/** Deletes the selected versions of one object, returning them. */
export function deleteVersionsSql(deletion: ObjectDeletion): { text: string; values: unknown[] } {
  const params = new SqlParameters();
  const conditions = selectionConditions({ ...deletion, ids: [deletion.id] }, params);
  conditions.push(`o.provider_org_id = ANY(${params.add([...deletion.providerOrgIds], '::text[]')})`);
  return {
    text: `DELETE FROM stix_objects o
            WHERE ${conditions.join('\n              AND ')}
        RETURNING o.id, o.date_added, o.spec_version, o.version`,
    values: params.values,
  };
}

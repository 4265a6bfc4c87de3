import type { TlpLevel } from '../../domain/tenancy';
import type { AppendOutcome, NewObjectVersion, ObjectPage, ObjectPageQuery, ObjectStore, StoredObjectVersion } from '../object-store';
import type { Database } from './database';
import { scopeFilter } from './scope-filter';

interface ObjectRow {
  collection_id: string;
  date_added: string;
  id: string;
  type: string;
  spec_version: string;
  version: string;
  provider_org_id: string;
  tlp: TlpLevel;
  recipients: string[];
  object: Record<string, unknown>;
}

const COLUMNS = 'collection_id, date_added, id, type, spec_version, version, provider_org_id, tlp, recipients, object';

function toVersion(row: ObjectRow): StoredObjectVersion {
  return {
    collectionId: row.collection_id,
    dateAdded: Number(row.date_added),
    id: row.id,
    type: row.type,
    specVersion: row.spec_version,
    version: Number(row.version),
    providerOrgId: row.provider_org_id,
    tlp: row.tlp,
    recipients: row.recipients,
    object: row.object,
  };
}

const key = (id: string, version: number) => `${id}\u0000${version}`;

/** The ObjectStore over SQL, for both engines. */
export class SqlObjectStore implements ObjectStore {
  constructor(private readonly db: Database) {}

  async append(collectionId: string, versions: readonly NewObjectVersion[], nowMicros: number): Promise<AppendOutcome[]> {
    if (versions.length === 0) return [];
    return this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO collection_clocks (collection_id, last_date_added) VALUES ($1, 0) ON CONFLICT (collection_id) DO NOTHING', [collectionId]);
      // Held until commit: writers of one collection commit one after another, in date_added order.
      const clock = await tx.query<{ last_date_added: string }>('SELECT last_date_added FROM collection_clocks WHERE collection_id = $1 FOR UPDATE', [collectionId]);
      let last = Number(clock.rows[0]?.last_date_added ?? 0);

      // One row per submitted version that is already stored, with whether its content is the same.
      const existing = await tx.query<{ n: string; date_added: string; identical: boolean }>(
        `SELECT c.n, o.date_added, o.object = c.object AS identical
           FROM unnest($2::text[], $3::bigint[], $4::jsonb[]) WITH ORDINALITY AS c(id, version, object, n)
           JOIN stix_objects o ON o.collection_id = $1 AND o.id = c.id AND o.version = c.version`,
        [collectionId, versions.map((v) => v.id), versions.map((v) => v.version), versions.map((v) => JSON.stringify(v.object))],
      );
      const stored = new Map(existing.rows.map((r) => [Number(r.n) - 1, { dateAdded: Number(r.date_added), identical: r.identical }]));

      const outcomes: AppendOutcome[] = [];
      const fresh: { v: NewObjectVersion; dateAdded: number }[] = [];
      const inBatch = new Map<string, { dateAdded: number; json: string }>();
      versions.forEach((v, index) => {
        const seen = stored.get(index);
        if (seen) {
          outcomes.push({ kind: 'duplicate', ...seen });
          return;
        }
        const json = JSON.stringify(v.object);
        const earlier = inBatch.get(key(v.id, v.version));
        if (earlier) {
          outcomes.push({ kind: 'duplicate', dateAdded: earlier.dateAdded, identical: earlier.json === json });
          return;
        }
        last = Math.max(nowMicros, last + 1);
        fresh.push({ v, dateAdded: last });
        inBatch.set(key(v.id, v.version), { dateAdded: last, json });
        outcomes.push({ kind: 'added', dateAdded: last });
      });
      if (fresh.length > 0) {
        await tx.query(
          `INSERT INTO stix_objects (${COLUMNS})
           SELECT $1, d, i, t, s, v, p, m, ARRAY(SELECT jsonb_array_elements_text(r)), o
             FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[])
               AS x(d, i, t, s, v, p, m, r, o)`,
          [
            collectionId,
            fresh.map((f) => f.dateAdded),
            fresh.map((f) => f.v.id),
            fresh.map((f) => f.v.type),
            fresh.map((f) => f.v.specVersion),
            fresh.map((f) => f.v.version),
            fresh.map((f) => f.v.providerOrgId),
            fresh.map((f) => f.v.tlp),
            fresh.map((f) => JSON.stringify(f.v.recipients)),
            fresh.map((f) => JSON.stringify(f.v.object)),
          ],
        );
        await tx.query('UPDATE collection_clocks SET last_date_added = $2 WHERE collection_id = $1', [collectionId, last]);
      }
      return outcomes;
    });
  }

  async page(query: ObjectPageQuery): Promise<ObjectPage> {
    const filter = scopeFilter(query.scope, 4);
    const result = await this.db.query<ObjectRow>(
      `SELECT ${COLUMNS} FROM stix_objects
        WHERE collection_id = $1 AND date_added > $2 AND ${filter.sql}
        ORDER BY date_added
        LIMIT $3`,
      [query.collectionId, query.addedAfter ?? -1, query.limit + 1, ...filter.params],
    );
    const rows = result.rows.map(toVersion);
    return { versions: rows.slice(0, query.limit), more: rows.length > query.limit };
  }
}

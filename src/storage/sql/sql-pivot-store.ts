import type { TlpLevel } from '../../domain/tenancy';
import type { CampaignLink, KeyHit, ObjectRef, PivotHead, PivotStore, ScopedCollection } from '../pivot-store';
import type { StoredFeedValue } from '../sensor-feed-store';
import type { Queryable } from './database';
import { SqlParameters } from './object-queries';

interface HeadRow {
  collection_id: string;
  id: string;
  type: string;
  provider_org_id: string;
  tlp: TlpLevel;
  recipients: string[];
  lifecycle: 'revoked' | 'benign' | null;
  valid_until: string | null;
  created: string | null;
  modified: string | null;
  name: string | null;
  refs: string[] | null;
  json?: string;
  ord: number | null;
  kind: string | null;
  value: string | null;
}

/**
 * PivotStore over analysis_keys (migration 018), stix_objects and object_references. Keys are found
 * by equality and by range (subdomains: the key column is COLLATE "C", so a prefix is a btree range)
 * on analysis_keys_key_idx, networks by overlap (&&: holds or lies in) on the GiST index; each hit
 * joins stix_objects for is_head and the scope of the caller in the hit's collection. Relationships
 * are reached from an indicator or a campaign through object_references' primary key.
 */
export class SqlPivotStore implements PivotStore {
  /** `derivation`: the feed-entry derivation whose saved values name an indicator's kinds and values. */
  constructor(
    private readonly db: Queryable,
    private readonly derivation: number,
  ) {}

  /** The caller's scope per collection, over the stix_objects alias `o` (scope columns unqualified: one table has them at this level). */
  private readable(scopes: readonly ScopedCollection[], params: SqlParameters, alias: string): string {
    if (scopes.length === 0) return 'FALSE';
    return `(${scopes.map((s) => `(${alias}.collection_id = ${params.add(s.collectionId, '::uuid')} AND ${params.scope(s.scope)})`).join(' OR ')})`;
  }

  /**
   * The key rows' collections among those searched, over the key subquery `k`. The keys are looked up
   * in a subquery (OFFSET 0: no condition is pushed into it) so that the lookup goes by key or network
   * alone: given one collection (a restricted reader's usual case, or the equality the planner derives
   * from the scope predicate), the planner read that collection's whole slice of analysis_keys' primary
   * key instead, filtering every key row against the frontier's keys (280,000 entries, 550-660 ms for
   * a depth-2 frontier of 400 keys at 1,000,000 indicators, against 48 ms by the key index).
   */
  private searchedKeys(scopes: readonly ScopedCollection[], params: SqlParameters): string {
    return `k.collection_id = ANY(${params.add(scopes.map((s) => s.collectionId), '::uuid[]')})`;
  }

  private async hits(sql: (params: SqlParameters) => string, params: SqlParameters): Promise<KeyHit[]> {
    const { rows } = await this.db.query<{ collection_id: string; id: string; key: string; origin: string }>(sql(params), params.values);
    return rows.map((r) => ({ collectionId: r.collection_id, id: r.id, key: r.key, origin: r.origin }));
  }

  async sameKeys(scopes: readonly ScopedCollection[], keys: readonly string[], limit: number): Promise<KeyHit[]> {
    if (keys.length === 0 || scopes.length === 0) return [];
    const params = new SqlParameters();
    return this.hits(
      (p) => `SELECT o.collection_id, o.id, k.key, k.key AS origin
                FROM (SELECT k.collection_id, k.date_added, k.key FROM analysis_keys k WHERE k.key = ANY(${p.add([...keys], '::text[]')}) OFFSET 0) k
                JOIN stix_objects o ON o.collection_id = k.collection_id AND o.date_added = k.date_added
               WHERE ${this.searchedKeys(scopes, p)} AND o.is_head AND ${this.readable(scopes, p, 'o')}
               LIMIT ${p.add(limit)}`,
      params,
    );
  }

  async subdomains(scopes: readonly ScopedCollection[], prefixes: readonly string[], limit: number): Promise<KeyHit[]> {
    if (prefixes.length === 0 || scopes.length === 0) return [];
    const params = new SqlParameters();
    // One btree range per prefix, written out: a range joined from unnest() was planned as a scan of
    // the whole table. A prefix ends with '.'; every key under it sorts before the prefix with '/'
    // (the next byte) in its place. A key under nested prefixes (a.example., b.a.example.) answers for each.
    const ranges = prefixes.map((prefix) => ({ lo: params.add(prefix, '::text'), hi: params.add(`${prefix.slice(0, -1)}/`, '::text') }));
    const within = ranges.map((r) => `(k.key >= ${r.lo} AND k.key < ${r.hi})`).join(' OR ');
    const origins = `ARRAY[${ranges.map((r) => `CASE WHEN k.key >= ${r.lo} AND k.key < ${r.hi} THEN ${r.lo} END`).join(', ')}]`;
    const { rows } = await this.db.query<{ collection_id: string; id: string; key: string; origins: (string | null)[] }>(
      `SELECT o.collection_id, o.id, k.key, ${origins} AS origins
         FROM (SELECT k.collection_id, k.date_added, k.key FROM analysis_keys k WHERE ${within} OFFSET 0) k
         JOIN stix_objects o ON o.collection_id = k.collection_id AND o.date_added = k.date_added
        WHERE ${this.searchedKeys(scopes, params)} AND o.is_head AND ${this.readable(scopes, params, 'o')}
        LIMIT ${params.add(limit)}`,
      params.values,
    );
    return rows.flatMap((r) => r.origins.filter((o): o is string => o !== null).map((origin) => ({ collectionId: r.collection_id, id: r.id, key: r.key, origin })));
  }

  async overlapping(scopes: readonly ScopedCollection[], nets: readonly string[], limit: number): Promise<KeyHit[]> {
    if (nets.length === 0 || scopes.length === 0) return [];
    const params = new SqlParameters();
    return this.hits(
      (p) => `SELECT o.collection_id, o.id, k.key, k.origin
                FROM (SELECT k.collection_id, k.date_added, k.key, q.net AS origin
                        FROM unnest(${p.add([...nets], '::text[]')}) AS q(net)
                        JOIN analysis_keys k ON k.net IS NOT NULL AND k.net && q.net::inet AND k.net <> q.net::inet
                      OFFSET 0) k
                JOIN stix_objects o ON o.collection_id = k.collection_id AND o.date_added = k.date_added
               WHERE ${this.searchedKeys(scopes, p)} AND o.is_head AND ${this.readable(scopes, p, 'o')}
               LIMIT ${p.add(limit)}`,
      params,
    );
  }

  private async headRows(from: (p: SqlParameters) => string, params: SqlParameters, scopes: readonly ScopedCollection[], whole: boolean): Promise<PivotHead[]> {
    const fromSql = from(params);
    const readable = this.readable(scopes, params, 'o');
    const { rows } = await this.db.query<HeadRow>(
      `WITH h AS (
         SELECT o.collection_id, o.id, o.type, o.date_added, o.provider_org_id, o.tlp, o.recipients, o.lifecycle, o.valid_until,
                o.object->>'created' AS created, o.object->>'modified' AS modified, o.object->>'name' AS name,
                CASE WHEN o.type = 'sighting' THEN ARRAY[o.object->>'sighting_of_ref']
                     WHEN jsonb_typeof(o.object->'object_refs') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(o.object->'object_refs'))
                END AS refs${whole ? ', o.object::text AS json' : ''}
           ${fromSql} AND o.is_head AND ${readable})
       SELECT h.collection_id, h.id, h.type, h.provider_org_id, h.tlp, h.recipients, h.lifecycle, h.valid_until, h.created, h.modified, h.name, h.refs${whole ? ', h.json' : ''},
              e.ord, e.kind, e.value
         FROM h LEFT JOIN LATERAL (
                SELECT * FROM feed_entries f
                 WHERE f.collection_id = h.collection_id AND f.date_added = h.date_added AND f.derivation = ${params.add(this.derivation, '::int')}
                OFFSET 0) e ON true
        ORDER BY h.collection_id, h.id, e.ord`,
      params.values,
    );
    const heads: PivotHead[] = [];
    let current: { head: PivotHead; values: StoredFeedValue[] } | undefined;
    for (const row of rows) {
      if (current === undefined || current.head.collectionId !== row.collection_id || current.head.id !== row.id) {
        const values: StoredFeedValue[] = [];
        current = {
          values,
          head: {
            collectionId: row.collection_id, id: row.id, type: row.type, providerOrgId: row.provider_org_id, tlp: row.tlp, recipients: row.recipients, values,
            refs: (row.refs ?? []).filter((r): r is string => typeof r === 'string'),
            ...(row.lifecycle !== null ? { lifecycle: row.lifecycle } : {}),
            ...(row.valid_until !== null ? { validUntil: Number(row.valid_until) } : {}),
            ...(row.created !== null ? { created: row.created } : {}),
            ...(row.modified !== null ? { modified: row.modified } : {}),
            ...(row.name !== null ? { name: row.name } : {}),
            ...(row.json !== undefined ? { json: row.json } : {}),
          },
        };
        heads.push(current.head);
      }
      if (row.ord !== null && row.ord >= 0 && row.kind !== null && row.value !== null) current.values.push({ kind: row.kind, value: row.value });
    }
    return heads;
  }

  async heads(scopes: readonly ScopedCollection[], refs: readonly ObjectRef[], whole: boolean): Promise<PivotHead[]> {
    if (refs.length === 0 || scopes.length === 0) return [];
    const params = new SqlParameters();
    return this.headRows(
      (p) => `FROM unnest(${p.add(refs.map((r) => r.collectionId), '::uuid[]')}, ${p.add(refs.map((r) => r.id), '::text[]')}) AS r(cid, oid)
              JOIN stix_objects o ON o.collection_id = r.cid AND o.id = r.oid WHERE TRUE`,
      params, scopes, whole,
    );
  }

  async headsWithId(scopes: readonly ScopedCollection[], id: string, whole: boolean): Promise<PivotHead[]> {
    if (scopes.length === 0) return [];
    const params = new SqlParameters();
    return this.headRows((p) => `FROM stix_objects o WHERE o.id = ${p.add(id)}`, params, scopes, whole);
  }

  /** Links between indicators and campaigns through `indicates` relationships, from one side (`from`) to the other. */
  private async links(scopes: readonly ScopedCollection[], refs: readonly ObjectRef[], from: 'indicator' | 'campaign', limit: number): Promise<CampaignLink[]> {
    if (refs.length === 0 || scopes.length === 0) return [];
    const params = new SqlParameters();
    const [near, far, farType] = from === 'indicator' ? ['source_ref', 'target_ref', 'campaign'] : ['target_ref', 'source_ref', 'indicator'];
    const farLive = farType === 'campaign' ? 'AND t.lifecycle IS NULL' : '';
    // Each scope predicate stands in a query level whose FROM alone has the scope's columns. rel is
    // MATERIALIZED so that the far side is looked up by id (inlined, the planner walked every campaign
    // of the collection for each relationship: 140 ms instead of 13 at 100,000 indicators).
    const { rows } = await this.db.query<{ collection_id: string; near_id: string; far_id: string }>(
      `WITH f AS (SELECT * FROM unnest(${params.add(refs.map((r) => r.collectionId), '::uuid[]')}, ${params.add(refs.map((r) => r.id), '::text[]')}) AS f(cid, oid)),
       rel AS MATERIALIZED (
         SELECT o.collection_id AS rcid, o.object->>'${near}' AS near_id, o.object->>'${far}' AS far_id
           FROM f JOIN object_references r ON r.collection_id = f.cid AND r.target_id = f.oid
                  JOIN stix_objects o ON o.collection_id = r.collection_id AND o.id = r.source_id
          WHERE o.type = 'relationship' AND o.is_head AND o.lifecycle IS NULL AND o.object->>'relationship_type' = 'indicates'
            AND o.object->>'${near}' = f.oid AND ${this.readable(scopes, params, 'o')}
          LIMIT ${params.add(limit)})
       SELECT DISTINCT rel.rcid AS collection_id, rel.near_id, rel.far_id
         FROM rel JOIN stix_objects t ON t.collection_id = rel.rcid AND t.id = rel.far_id
        WHERE t.type = '${farType}' AND t.is_head ${farLive} AND ${this.readable(scopes, params, 't')}
        LIMIT ${params.add(limit)}`,
      params.values,
    );
    return rows.map((r) =>
      from === 'indicator'
        ? { collectionId: r.collection_id, indicatorId: r.near_id, campaignId: r.far_id }
        : { collectionId: r.collection_id, indicatorId: r.far_id, campaignId: r.near_id },
    );
  }

  campaignsOf(scopes: readonly ScopedCollection[], indicators: readonly ObjectRef[], limit: number): Promise<CampaignLink[]> {
    return this.links(scopes, indicators, 'indicator', limit);
  }

  membersOf(scopes: readonly ScopedCollection[], campaigns: readonly ObjectRef[], limit: number): Promise<CampaignLink[]> {
    return this.links(scopes, campaigns, 'campaign', limit);
  }
}

import type { TlpLevel } from '../../domain/tenancy';
import { parseMicros } from '../../domain/timestamps';
import type { AddedKeyRow, CampaignLink, CampaignStore, CandidateRejection, GraphHead, GraphRow, HeadRef, KeyMarks, ReadableCollection } from '../campaign-store';
import type { Database } from './database';
import { SqlParameters } from './object-queries';

/** An active indicator head: the only versions the graph holds. */
const ACTIVE_HEAD = "o.type = 'indicator' AND o.is_head AND o.lifecycle IS NULL";

const HEAD_COLUMNS = `o.collection_id, o.date_added, o.id, o.provider_org_id, o.tlp, o.recipients, o.named_readers, o.valid_until,
  COALESCE(o.write_xact::text, 'v:' || o.collection_id || '/' || o.date_added) AS submission, o.object->>'created' AS created`;

interface HeadColumns {
  collection_id: string; date_added: string; id: string; provider_org_id: string; tlp: TlpLevel; recipients: string[]; named_readers: string[] | null;
  valid_until: string | null; submission: string; created: string | null;
}

function headOf(r: HeadColumns): GraphHead {
  const dateAdded = Number(r.date_added);
  return {
    collectionId: r.collection_id,
    dateAdded,
    id: r.id,
    providerOrgId: r.provider_org_id,
    tlp: r.tlp,
    recipients: r.recipients,
    namedReaders: r.named_readers ?? [],
    validUntil: r.valid_until !== null ? Number(r.valid_until) : null,
    submission: r.submission,
    firstAdded: (r.created !== null ? parseMicros(r.created) : undefined) ?? dateAdded,
  };
}

/**
 * CampaignStore over analysis_keys (migration 018), stix_objects (write_xact, migration 019) and
 * campaign_candidate_rejections. The reader's collections are one OR of (collection, scope)
 * conditions; each scope predicate names its columns unqualified, so it stands in a query level
 * whose FROM alone has them (stix_objects).
 */
export class SqlCampaignStore implements CampaignStore {
  constructor(private readonly db: Database) {}

  async graphRows(sinceMicros: number, nowMicros: number): Promise<{ rows: GraphRow[]; marks: Map<string, number> }> {
    const marks = await this.marks();
    // Two steps, so that most keys (held by one version) never reach stix_objects: the keys two
    // versions in the window carry (from the keys alone), then among those the keys two active heads carry.
    const { rows } = await this.db.query<HeadColumns & { key: string }>(
      `WITH k AS MATERIALIZED (
         SELECT key FROM analysis_keys WHERE date_added >= $1 GROUP BY key HAVING count(*) > 1),
       r AS MATERIALIZED (
         SELECT a.key, ${HEAD_COLUMNS}
           FROM k JOIN analysis_keys a ON a.key = k.key
           JOIN stix_objects o ON o.collection_id = a.collection_id AND o.date_added = a.date_added
          WHERE a.date_added >= $1 AND ${ACTIVE_HEAD} AND (o.valid_until IS NULL OR o.valid_until > $2))
       SELECT * FROM r WHERE r.key IN (SELECT key FROM r GROUP BY key HAVING count(*) > 1)`,
      [sinceMicros, nowMicros],
    );
    return { rows: rows.map((r) => ({ ...headOf(r), key: r.key })), marks };
  }

  async keysAddedAfter(marks: KeyMarks, sinceMicros: number): Promise<{ rows: AddedKeyRow[]; marks: Map<string, number> }> {
    const collections = await this.db.query<{ id: string }>('SELECT id FROM collections');
    const ids = collections.rows.map((c) => c.id);
    // One range of analysis_keys' primary key per collection, after its mark, then each row's version
    // by its primary key (OFFSET 0 keeps both per row: joined flat, PostgreSQL hashed whole tables,
    // 300-450 ms for a catch-up that found nothing at 250,000 keys).
    const { rows } = await this.db.query<HeadColumns & { key: string; active: boolean }>(
      `SELECT a.key, o.*
         FROM unnest($1::uuid[], $2::bigint[]) AS m(collection_id, mark)
         CROSS JOIN LATERAL (
           SELECT a.collection_id, a.date_added, a.key FROM analysis_keys a
            WHERE a.collection_id = m.collection_id AND a.date_added > m.mark OFFSET 0) a
         CROSS JOIN LATERAL (
           SELECT (${ACTIVE_HEAD}) AS active, ${HEAD_COLUMNS} FROM stix_objects o
            WHERE o.collection_id = a.collection_id AND o.date_added = a.date_added OFFSET 0) o
        ORDER BY a.collection_id, a.date_added`,
      [ids, ids.map((id) => marks.get(id) ?? sinceMicros - 1)],
    );
    const next = new Map(marks);
    const added: AddedKeyRow[] = rows.map((r) => {
      const head = headOf(r);
      next.set(head.collectionId, Math.max(next.get(head.collectionId) ?? 0, head.dateAdded));
      return { collectionId: head.collectionId, dateAdded: head.dateAdded, id: head.id, key: r.key, ...(r.active ? { head } : {}) };
    });
    return { rows: added, marks: next };
  }

  async headsHolding(keys: readonly string[], sinceMicros: number, perKey: number): Promise<GraphRow[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.db.query<HeadColumns & { key: string }>(
      // Keys two versions carry first, from the key index alone: most keys new to the graph are one
      // new indicator's own (a fresh hash, a URL), and probing stix_objects for them is wasted.
      `WITH k AS MATERIALIZED (SELECT key FROM analysis_keys WHERE key = ANY($1::text[]) GROUP BY key HAVING count(*) > 1)
       SELECT k.key, h.*
         FROM k
         CROSS JOIN LATERAL (
           SELECT ${HEAD_COLUMNS}
             FROM analysis_keys a JOIN stix_objects o ON o.collection_id = a.collection_id AND o.date_added = a.date_added
            WHERE a.key = k.key AND a.date_added >= $2 AND ${ACTIVE_HEAD}
            LIMIT $3) h`,
      [[...keys], sinceMicros, perKey],
    );
    return rows.map((r) => ({ ...headOf(r), key: r.key }));
  }

  async stillActive(heads: readonly HeadRef[]): Promise<Set<string>> {
    if (heads.length === 0) return new Set();
    const { rows } = await this.db.query<{ collection_id: string; date_added: string }>(
      `SELECT o.collection_id, o.date_added
         FROM unnest($1::uuid[], $2::bigint[]) AS h(collection_id, date_added)
         JOIN stix_objects o ON o.collection_id = h.collection_id AND o.date_added = h.date_added
        WHERE ${ACTIVE_HEAD}`,
      [heads.map((h) => h.collectionId), heads.map((h) => h.dateAdded)],
    );
    return new Set(rows.map((r) => `${r.collection_id}/${r.date_added}`));
  }

  /** Per collection, the latest date_added of its analysis keys (one descending probe of the primary key each). */
  private async marks(): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ id: string; mark: string | null }>(
      'SELECT c.id, (SELECT max(a.date_added) FROM analysis_keys a WHERE a.collection_id = c.id) AS mark FROM collections c',
    );
    return new Map(rows.filter((r) => r.mark !== null).map((r) => [r.id, Number(r.mark)]));
  }

  async valuesOf(heads: readonly HeadRef[]): Promise<Map<string, { kind: string; value: string }>> {
    if (heads.length === 0) return new Map();
    const { rows } = await this.db.query<{ collection_id: string; date_added: string; kind: string; value: string }>(
      `SELECT DISTINCT ON (f.collection_id, f.date_added) f.collection_id, f.date_added, f.kind, f.value
         FROM unnest($1::uuid[], $2::bigint[]) AS h(collection_id, date_added)
         JOIN feed_entries f ON f.collection_id = h.collection_id AND f.date_added = h.date_added AND f.ord >= 0
        WHERE f.kind IS NOT NULL AND f.value IS NOT NULL
        ORDER BY f.collection_id, f.date_added, f.ord`,
      [heads.map((h) => h.collectionId), heads.map((h) => h.dateAdded)],
    );
    return new Map(rows.map((r) => [`${r.collection_id}/${r.date_added}`, { kind: r.kind, value: r.value }]));
  }

  async campaignsOf(readable: readonly ReadableCollection[], indicators: readonly { readonly collectionId: string; readonly id: string }[]): Promise<CampaignLink[]> {
    if (readable.length === 0 || indicators.length === 0) return [];
    const params = new SqlParameters();
    const collections = params.add(indicators.map((i) => i.collectionId), '::uuid[]');
    const ids = params.add(indicators.map((i) => i.id), '::text[]');
    const readableRows = () => readable.map((r) => `(collection_id = ${params.add(r.collectionId, '::uuid')} AND ${params.scope(r.scope)})`).join(' OR ');
    // Index probes only, per member: its referrers (object_references), each the head of an active
    // indicates relationship the reader may read, then its target, the head of a campaign it may read.
    const { rows } = await this.db.query<{ collection_id: string; indicator_id: string; campaign_id: string; name: string }>(
      `SELECT DISTINCT m.collection_id, m.id AS indicator_id, c.id AS campaign_id, c.name
         FROM unnest(${collections}, ${ids}) AS m(collection_id, id)
         JOIN object_references ref ON ref.collection_id = m.collection_id AND ref.target_id = m.id
         CROSS JOIN LATERAL (
           SELECT object->>'target_ref' AS campaign_id FROM stix_objects
            WHERE collection_id = ref.collection_id AND id = ref.source_id AND is_head AND type = 'relationship' AND lifecycle IS NULL
              AND object->>'relationship_type' = 'indicates' AND object->>'source_ref' = m.id AND (${readableRows()})) r
         CROSS JOIN LATERAL (
           SELECT id, COALESCE(object->>'name', '') AS name FROM stix_objects
            WHERE collection_id = m.collection_id AND id = r.campaign_id AND is_head AND type = 'campaign' AND lifecycle IS NULL AND (${readableRows()})) c`,
      params.values,
    );
    return rows.map((r) => ({ collectionId: r.collection_id, indicatorId: r.indicator_id, campaignId: r.campaign_id, name: r.name }));
  }

  async rejections(): Promise<CandidateRejection[]> {
    const { rows } = await this.db.query<{ candidate_id: string; rejected_at: string; rejected_by: string; organization_id: string; reason: string | null; members: string[] }>(
      'SELECT candidate_id, rejected_at, rejected_by, organization_id, reason, members FROM campaign_candidate_rejections ORDER BY id',
    );
    return rows.map((r) => ({
      candidateId: r.candidate_id,
      rejectedAt: Number(r.rejected_at),
      rejectedBy: r.rejected_by,
      organizationId: r.organization_id,
      ...(r.reason !== null ? { reason: r.reason } : {}),
      members: r.members,
    }));
  }

  async recordRejection(rejection: CandidateRejection): Promise<void> {
    await this.db.query(
      `INSERT INTO campaign_candidate_rejections (candidate_id, rejected_at, rejected_by, organization_id, reason, members)
       VALUES ($1, $2, $3, $4, $5, $6::text[])`,
      [rejection.candidateId, rejection.rejectedAt, rejection.rejectedBy, rejection.organizationId, rejection.reason ?? null, [...rejection.members]],
    );
  }
}

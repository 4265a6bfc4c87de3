import type { TlpLevel } from '../../domain/tenancy';
import { parseMicros } from '../../domain/timestamps';
import type { CampaignLink, CampaignStore, CandidateRejection, HeadRef, ReadableCollection, SharedKeyRow } from '../campaign-store';
import type { Database } from './database';
import { SqlParameters } from './object-queries';

/**
 * CampaignStore over analysis_keys (migration 018), stix_objects (write_xact, migration 019) and
 * campaign_candidate_rejections. The reader's collections are one OR of (collection, scope)
 * conditions; each scope predicate names its columns unqualified, so it stands in a query level
 * whose FROM alone has them (stix_objects).
 */
export class SqlCampaignStore implements CampaignStore {
  constructor(private readonly db: Database) {}

  async sharedKeys(readable: readonly ReadableCollection[], sinceMicros: number, nowMicros: number): Promise<SharedKeyRow[]> {
    if (readable.length === 0) return [];
    const params = new SqlParameters();
    const since = params.add(sinceMicros, '::bigint');
    const now = params.add(nowMicros, '::bigint');
    const collections = params.add(readable.map((r) => r.collectionId), '::uuid[]');
    const readableHeads = readable.map((r) => `(o.collection_id = ${params.add(r.collectionId, '::uuid')} AND ${params.scope(r.scope)})`).join(' OR ');
    // Two steps, so that most keys (held by one indicator) never reach stix_objects: the keys that two
    // versions in the window carry (a superset, from the keys alone), then among those the keys that two
    // readable, active heads carry. Only those rows leave the database.
    const { rows } = await this.db.query<{
      collection_id: string; date_added: string; key: string; id: string; provider_org_id: string; tlp: TlpLevel; recipients: string[]; submission: string; created: string | null;
    }>(
      `WITH k AS MATERIALIZED (
         SELECT key FROM analysis_keys WHERE collection_id = ANY(${collections}) AND date_added >= ${since}
          GROUP BY key HAVING count(*) > 1),
       r AS MATERIALIZED (
         SELECT a.collection_id, a.date_added, a.key, o.id, o.provider_org_id, o.tlp, o.recipients,
                COALESCE(o.write_xact::text, 'v:' || o.collection_id || '/' || o.date_added) AS submission, o.object->>'created' AS created
           FROM k JOIN analysis_keys a ON a.key = k.key
           JOIN stix_objects o ON o.collection_id = a.collection_id AND o.date_added = a.date_added
          WHERE a.collection_id = ANY(${collections}) AND a.date_added >= ${since} AND o.type = 'indicator' AND o.is_head AND o.lifecycle IS NULL
            AND (o.valid_until IS NULL OR o.valid_until > ${now}) AND (${readableHeads}))
       SELECT * FROM r WHERE r.key IN (SELECT key FROM r GROUP BY key HAVING count(*) > 1)`,
      params.values,
    );
    return rows.map((r) => {
      const dateAdded = Number(r.date_added);
      return {
        collectionId: r.collection_id,
        dateAdded,
        key: r.key,
        id: r.id,
        providerOrgId: r.provider_org_id,
        tlp: r.tlp,
        recipients: r.recipients,
        submission: r.submission,
        firstAdded: (r.created !== null ? parseMicros(r.created) : undefined) ?? dateAdded,
      };
    });
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

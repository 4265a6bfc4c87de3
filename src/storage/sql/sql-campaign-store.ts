import type { TlpLevel } from '../../domain/tenancy';
import type { CampaignLink, CampaignStore, CandidateRejection, HeadRef, MemberFacts, ReadableCollection, SharedKeyRow } from '../campaign-store';
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
    const readableHeads = readable.map((r) => `(o.collection_id = ${params.add(r.collectionId, '::uuid')} AND ${params.scope(r.scope)})`).join(' OR ');
    // Only keys two readable heads share leave the database: the clustering never sees the rest.
    const { rows } = await this.db.query<{ collection_id: string; date_added: string; key: string }>(
      `WITH r AS MATERIALIZED (
         SELECT k.collection_id, k.date_added, k.key
           FROM analysis_keys k JOIN stix_objects o ON o.collection_id = k.collection_id AND o.date_added = k.date_added
          WHERE k.date_added >= ${since} AND o.type = 'indicator' AND o.is_head AND o.lifecycle IS NULL
            AND (o.valid_until IS NULL OR o.valid_until > ${now}) AND (${readableHeads}))
       SELECT r.collection_id, r.date_added, r.key FROM r
        WHERE r.key IN (SELECT key FROM r GROUP BY key HAVING count(*) > 1)`,
      params.values,
    );
    return rows.map((r) => ({ collectionId: r.collection_id, dateAdded: Number(r.date_added), key: r.key }));
  }

  async members(heads: readonly HeadRef[]): Promise<MemberFacts[]> {
    if (heads.length === 0) return [];
    const { rows } = await this.db.query<{
      collection_id: string; date_added: string; id: string; provider_org_id: string; tlp: TlpLevel; recipients: string[];
      submission: string; first_added: string; kind: string | null; value: string | null;
    }>(
      `SELECT o.collection_id, o.date_added, o.id, o.provider_org_id, o.tlp, o.recipients,
              COALESCE(o.write_xact::text, 'v:' || o.collection_id || '/' || o.date_added) AS submission,
              (SELECT min(f.date_added) FROM stix_objects f WHERE f.collection_id = o.collection_id AND f.id = o.id) AS first_added,
              e.kind, e.value
         FROM unnest($1::uuid[], $2::bigint[]) AS h(collection_id, date_added)
         JOIN stix_objects o ON o.collection_id = h.collection_id AND o.date_added = h.date_added
         LEFT JOIN LATERAL (SELECT f.kind, f.value FROM feed_entries f
                             WHERE f.collection_id = o.collection_id AND f.date_added = o.date_added AND f.ord >= 0
                             ORDER BY f.ord LIMIT 1) e ON true`,
      [heads.map((h) => h.collectionId), heads.map((h) => h.dateAdded)],
    );
    return rows.map((r) => ({
      collectionId: r.collection_id,
      dateAdded: Number(r.date_added),
      id: r.id,
      providerOrgId: r.provider_org_id,
      tlp: r.tlp,
      recipients: r.recipients,
      submission: r.submission,
      firstAdded: Number(r.first_added),
      ...(r.kind !== null ? { kind: r.kind } : {}),
      ...(r.value !== null ? { value: r.value } : {}),
    }));
  }

  async campaignsOf(readable: readonly ReadableCollection[], indicators: readonly { readonly collectionId: string; readonly id: string }[]): Promise<CampaignLink[]> {
    if (readable.length === 0 || indicators.length === 0) return [];
    const params = new SqlParameters();
    const collections = params.add(indicators.map((i) => i.collectionId), '::uuid[]');
    const ids = params.add(indicators.map((i) => i.id), '::text[]');
    const readableRows = () => readable.map((r) => `(collection_id = ${params.add(r.collectionId, '::uuid')} AND ${params.scope(r.scope)})`).join(' OR ');
    const { rows } = await this.db.query<{ collection_id: string; indicator_id: string; campaign_id: string; name: string }>(
      `WITH m AS (SELECT * FROM unnest(${collections}, ${ids}) AS m(collection_id, id)),
       rel AS (
         SELECT collection_id, object->>'source_ref' AS indicator_id, object->>'target_ref' AS campaign_id FROM stix_objects
          WHERE (collection_id, id) IN (SELECT ref.collection_id, ref.source_id FROM m JOIN object_references ref ON ref.collection_id = m.collection_id AND ref.target_id = m.id)
            AND type = 'relationship' AND is_head AND lifecycle IS NULL AND object->>'relationship_type' = 'indicates' AND (${readableRows()})),
       camp AS (
         SELECT collection_id, id, COALESCE(object->>'name', '') AS name FROM stix_objects
          WHERE (collection_id, id) IN (SELECT collection_id, campaign_id FROM rel)
            AND type = 'campaign' AND is_head AND lifecycle IS NULL AND (${readableRows()}))
       SELECT DISTINCT rel.collection_id, rel.indicator_id, camp.id AS campaign_id, camp.name
         FROM rel JOIN camp ON camp.collection_id = rel.collection_id AND camp.id = rel.campaign_id
         JOIN m ON m.collection_id = rel.collection_id AND m.id = rel.indicator_id`,
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

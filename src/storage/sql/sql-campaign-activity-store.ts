import type { CampaignLink, Neighbour, NewIndicator, StoredFacts } from '../../domain/analysis/campaign-activity';
import type { TlpLevel } from '../../domain/tenancy';
import type { ActivityEvent, CampaignActivityStore, FurtherQuery, FurtherRow, NeighbourQuery, NewIndicatorNeighbours } from '../campaign-activity-store';
import { lockClock } from './append-versions';
import { insertEvents } from './change-events';
import type { Database } from './database';

/**
 * CampaignActivityStore over analysis_keys, stix_objects, object_references and
 * collection_events / campaign_activity (migrations 018, 005, 012, 020).
 *
 * The provider of an event is EARLY_WARNING_PROVIDER: no organization id can be it (ids are
 * lower-case slugs, without a colon), so the ReadScope predicate's provider rule matches nobody and
 * only the RED recipients (the group) read the event; named_readers stays empty for the same reason.
 * Readers of provider_org_id on events (the match index, TAXII 1.1 records, feeds) pass these events
 * over before looking at it; no channel shows an event's provider.
 */
export const EARLY_WARNING_PROVIDER = 'hub:early-warning';

/**
 * Neighbours read per key of a new indicator: a value thousands of indicators share (a popular
 * attachment name) must not make a batch read all of them. Enough for the thresholds and a useful
 * member list; the notice says what it found, not every indicator sharing the value.
 */
export const MAX_NEIGHBOURS_PER_KEY = 100;

interface MemberRow {
  role: 'new' | 'member';
  new_date_added: string;
  collection_id: string;
  date_added: string;
  id: string;
  version: string;
  provider_org_id: string;
  tlp: TlpLevel;
  recipients: string[];
  named_readers: string[];
  created: string | null;
  keys: string[] | null;
  entries: [string, string][] | null;
}

const factsOf = (row: { collection_id: string; provider_org_id: string; tlp: TlpLevel; recipients: string[]; named_readers: string[] }): StoredFacts => ({
  collectionId: row.collection_id,
  providerOrgId: row.provider_org_id,
  tlp: row.tlp,
  recipients: row.recipients,
  namedReaders: row.named_readers,
});

const submissionOf = (row: MemberRow) => `${row.collection_id} ${row.provider_org_id} ${row.created ?? row.date_added}`;

export class SqlCampaignActivityStore implements CampaignActivityStore {
  constructor(private readonly db: Database) {}

  async neighbours(query: NeighbourQuery): Promise<NewIndicatorNeighbours[]> {
    if (query.dateAdded.length === 0) return [];
    const active = (o: string) => `${o}.type = 'indicator' AND ${o}.is_head AND ${o}.lifecycle IS NULL AND (${o}.valid_until IS NULL OR ${o}.valid_until > $3)`;
    const { rows } = await this.db.query<MemberRow>(
      `WITH new AS (
         SELECT o.* FROM stix_objects o
          WHERE o.collection_id = $1 AND o.date_added = ANY($2::bigint[]) AND ${active('o')}
            AND o.date_added >= $7::bigint AND o.object->>'created' >= $8
            AND NOT EXISTS (SELECT 1 FROM stix_objects p WHERE p.collection_id = o.collection_id AND p.id = o.id AND p.date_added < o.date_added)),
       pairs AS (
         SELECT n.date_added AS new_date_added, mk.collection_id, mk.date_added, array_agg(nk.key ORDER BY nk.key) AS keys
           FROM new n
           JOIN analysis_keys nk ON nk.collection_id = n.collection_id AND nk.date_added = n.date_added
           CROSS JOIN LATERAL (
             SELECT k.collection_id, k.date_added FROM analysis_keys k
               JOIN stix_objects m ON m.collection_id = k.collection_id AND m.date_added = k.date_added
              WHERE k.key = nk.key AND k.date_added BETWEEN n.date_added - $4::bigint AND n.date_added + $4::bigint
                -- In its own collection only what came before (what comes after is indexed after it and
                -- will see it); in another, also what came after, which may have been indexed first.
                AND (k.collection_id <> n.collection_id OR k.date_added < n.date_added) AND ${active('m')}
              LIMIT $6) mk
          GROUP BY n.date_added, mk.collection_id, mk.date_added)
       SELECT 'new' AS role, n.date_added AS new_date_added, n.collection_id, n.date_added, n.id, n.version, n.provider_org_id, n.tlp, n.recipients, n.named_readers,
              n.object->>'created' AS created, NULL::text[] AS keys,
              (SELECT json_agg(json_build_array(f.kind, f.value) ORDER BY f.ord) FROM feed_entries f
                WHERE f.collection_id = n.collection_id AND f.date_added = n.date_added AND f.derivation = $5::int AND f.ord >= 0 AND f.kind IS NOT NULL) AS entries
         FROM new n
       UNION ALL
       SELECT 'member', p.new_date_added, m.collection_id, m.date_added, m.id, m.version, m.provider_org_id, m.tlp, m.recipients, m.named_readers,
              m.object->>'created', p.keys, NULL
         FROM pairs p JOIN stix_objects m ON m.collection_id = p.collection_id AND m.date_added = p.date_added
        WHERE ${active('m')}`,
      [query.collectionId, [...query.dateAdded], query.nowMicros, query.windowMicros, query.derivation, MAX_NEIGHBOURS_PER_KEY, query.addedSince, query.createdSince],
    );
    const found = new Map<string, { indicator: NewIndicator; neighbours: (Neighbour & { dateAdded: number })[] }>();
    for (const row of rows.filter((r) => r.role === 'new')) {
      const indicator: NewIndicator = {
        ...factsOf(row),
        id: row.id,
        submission: submissionOf(row),
        dateAdded: Number(row.date_added),
        version: Number(row.version),
        values: (row.entries ?? []).map(([kind, value]) => ({ kind, value })),
      };
      found.set(row.new_date_added, { indicator, neighbours: [] });
    }
    for (const row of rows.filter((r) => r.role === 'member')) {
      found.get(row.new_date_added)?.neighbours.push({ ...factsOf(row), id: row.id, submission: submissionOf(row), sharedKeys: row.keys ?? [], dateAdded: Number(row.date_added) });
    }
    return [...found.values()].sort((a, b) => a.indicator.dateAdded - b.indicator.dateAdded);
  }

  async further(query: FurtherQuery): Promise<FurtherRow[]> {
    if (query.members.length === 0) return [];
    const { rows } = await this.db.query<MemberRow & { via_collection: string; via_id: string }>(
      `SELECT DISTINCT v.collection_id AS via_collection, v.id AS via_id, x.collection_id, x.date_added, x.id, x.provider_org_id, x.tlp, x.recipients, x.named_readers, x.created
         FROM unnest($1::uuid[], $2::bigint[]) AS m(collection_id, date_added)
         JOIN stix_objects v ON v.collection_id = m.collection_id AND v.date_added = m.date_added
         JOIN analysis_keys mk ON mk.collection_id = m.collection_id AND mk.date_added = m.date_added
         CROSS JOIN LATERAL (
           SELECT o.collection_id, o.date_added, o.id, o.provider_org_id, o.tlp, o.recipients, o.named_readers, o.object->>'created' AS created
             FROM analysis_keys k JOIN stix_objects o ON o.collection_id = k.collection_id AND o.date_added = k.date_added
            WHERE k.key = mk.key AND k.date_added BETWEEN $3::bigint AND $4::bigint AND NOT (k.collection_id = m.collection_id AND k.date_added = m.date_added)
              AND o.type = 'indicator' AND o.is_head AND o.lifecycle IS NULL AND (o.valid_until IS NULL OR o.valid_until > $5)
            LIMIT $6) x`,
      [query.members.map((m) => m.collectionId), query.members.map((m) => m.dateAdded), query.from, query.to, query.nowMicros, MAX_NEIGHBOURS_PER_KEY],
    );
    return rows.map((row) => ({ via: `${row.via_collection} ${row.via_id}`, member: { ...factsOf(row), id: row.id, submission: submissionOf(row) } }));
  }

  async campaignLinks(members: readonly { readonly collectionId: string; readonly id: string }[]): Promise<CampaignLink[]> {
    if (members.length === 0) return [];
    // object_references finds what names each indicator (its primary key starts with collection and target).
    const { rows } = await this.db.query<{
      collection_id: string; indicator_id: string;
      r_provider: string; r_tlp: TlpLevel; r_recipients: string[]; r_named: string[];
      campaign_id: string; name: string; provider_org_id: string; tlp: TlpLevel; recipients: string[]; named_readers: string[];
    }>(
      `SELECT DISTINCT r.collection_id, m.id AS indicator_id,
              r.provider_org_id AS r_provider, r.tlp AS r_tlp, r.recipients AS r_recipients, r.named_readers AS r_named,
              c.id AS campaign_id, COALESCE(c.object->>'name', '') AS name, c.provider_org_id, c.tlp, c.recipients, c.named_readers
         FROM unnest($1::uuid[], $2::text[]) AS m(collection_id, id)
         JOIN object_references ref ON ref.collection_id = m.collection_id AND ref.target_id = m.id
         JOIN stix_objects r ON r.collection_id = ref.collection_id AND r.id = ref.source_id AND r.is_head AND r.type = 'relationship'
                            AND r.lifecycle IS NULL AND r.object->>'relationship_type' = 'indicates' AND r.object->>'source_ref' = m.id
         JOIN stix_objects c ON c.collection_id = r.collection_id AND c.id = r.object->>'target_ref' AND c.is_head AND c.type = 'campaign' AND c.lifecycle IS NULL`,
      [members.map((m) => m.collectionId), members.map((m) => m.id)],
    );
    return rows.map((row) => ({
      collectionId: row.collection_id,
      indicatorId: row.indicator_id,
      relationship: { collectionId: row.collection_id, providerOrgId: row.r_provider, tlp: row.r_tlp, recipients: row.r_recipients, namedReaders: row.r_named },
      campaign: { ...factsOf(row), id: row.campaign_id, name: row.name },
    }));
  }

  async announce(collectionId: string, events: readonly ActivityEvent[], nowMicros: number): Promise<number> {
    if (events.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      await lockClock(tx, collectionId);
      // Under the lock: another hub process that indexed the same versions has written them, or not at all.
      const { rows } = await tx.query<{ c: string; d: string }>(
        `SELECT DISTINCT a.indicator_collection_id AS c, a.indicator_date_added AS d FROM campaign_activity a
          JOIN unnest($2::uuid[], $3::bigint[]) AS x(c, d) ON a.indicator_collection_id = x.c AND a.indicator_date_added = x.d
         WHERE a.collection_id = $1`,
        [collectionId, events.map((e) => e.indicator.collectionId), events.map((e) => e.indicator.dateAdded)],
      );
      const announced = new Set(rows.map((r) => `${r.c} ${Number(r.d)}`));
      const fresh = events.filter((e) => !announced.has(`${e.indicator.collectionId} ${e.indicator.dateAdded}`));
      const positions = await insertEvents(
        tx,
        collectionId,
        fresh.map((e) => ({
          id: e.indicator.id,
          type: 'indicator',
          version: e.indicator.version,
          providerOrgId: EARLY_WARNING_PROVIDER,
          tlp: 'red',
          recipients: [...e.recipients],
          namedReaders: [],
          operation: 'campaign-activity' as const,
          json: e.json,
        })),
        nowMicros,
      );
      if (positions.length > 0) {
        await tx.query(
          `INSERT INTO campaign_activity (collection_id, position, indicator_collection_id, indicator_date_added)
           SELECT $1, x.p, x.c, x.d FROM unnest($2::bigint[], $3::uuid[], $4::bigint[]) AS x(p, c, d)`,
          [collectionId, positions, fresh.map((e) => e.indicator.collectionId), fresh.map((e) => e.indicator.dateAdded)],
        );
      }
      return positions.length;
    });
  }
}

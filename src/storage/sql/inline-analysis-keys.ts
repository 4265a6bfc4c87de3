import { analysisKeysOfAll } from '../../domain/analysis/analysis-keys';
import { derivedOf, feedSourceOf, FEED_ENTRY_DERIVATION } from '../../domain/feeds/feed-derivation';
import { isIndicatorKind } from '../../domain/indicators/indicator-kinds';
import type { IndicatorKind } from '../../domain/indicators';
import type { Queryable } from './database';
import { SqlSensorFeedStore } from './sql-sensor-feed-store';

/**
 * Analysis keys written with the versions that carry them (issue 15: a submission joins its
 * campaign candidate as it commits, whatever the rate of ingest). The write path calls this under
 * the collection's clock lock, in the write's transaction: the new indicator heads get their keys,
 * the versions they supersede lose theirs (only heads are keyed), and the collection's analysis
 * watermark moves to the write's clock when nothing before the write waits for the indexer. The
 * keys come from the heads' feed entries (their values, as feeds and the pivot read them), which are
 * saved with them, as the indexer does: the same derivation, so both give a version the same keys.
 *
 * What else moves a collection's clock leaves work to the analysis indexer (a TAXII DELETE that makes
 * an older version the head again, an indicator written before this existed or by the bulk loader):
 * the watermark then stays where it is until the indexer's next pass, which keys that and moves it.
 * A campaign-activity notice also moves the clock but needs no keys, so it does not hold the mark.
 */

export interface StoredHead {
  readonly dateAdded: number;
  readonly object: Readonly<Record<string, unknown>>;
}

/**
 * `heads`: the indicator versions this write stored that are their objects' heads; `demoted`: the
 * date_added of the versions that stopped being heads; `before`: the clock when the write took the
 * lock; `after`: the clock it leaves.
 */
export async function keyStoredIndicators(tx: Queryable, collectionId: string, heads: readonly StoredHead[], demoted: readonly number[], before: number, after: number): Promise<void> {
  const d: number[] = [];
  const key: string[] = [];
  const net: (string | null)[] = [];
  const derived = heads.map((head) => ({ dateAdded: head.dateAdded, derived: derivedOf(feedSourceOf(head.object, String(head.object.id))) }));
  if (derived.length > 0) await new SqlSensorFeedStore(tx).saveDerived(collectionId, FEED_ENTRY_DERIVATION, derived, true);
  for (const head of derived) {
    const values = head.derived.values.filter((e): e is typeof e & { kind: IndicatorKind } => isIndicatorKind(e.kind));
    for (const k of analysisKeysOfAll(values)) {
      d.push(head.dateAdded);
      key.push(k.key);
      net.push(k.net ?? null);
    }
  }
  if (d.length > 0) {
    await tx.query(
      `INSERT INTO analysis_keys (collection_id, date_added, key, net)
       SELECT $1, t.d, t.key, t.net::inet FROM unnest($2::bigint[], $3::text[], $4::text[]) AS t(d, key, net)
       ON CONFLICT DO NOTHING`,
      [collectionId, d, key, net],
    );
  }
  if (demoted.length > 0) await tx.query('DELETE FROM analysis_keys WHERE collection_id = $1 AND date_added = ANY($2::bigint[])', [collectionId, demoted]);
  if (after <= before) return;
  // The mark moves only over what needs no indexer: between it and this write, no indicator head
  // without keys (one the indexer has not reached, or one a removal made the head again).
  await tx.query(
    `WITH w AS (SELECT COALESCE((SELECT indexed_through FROM analysis_watermarks WHERE collection_id = $1), 0) AS t)
     INSERT INTO analysis_watermarks (collection_id, indexed_through)
     SELECT $1, $3::bigint FROM w
      WHERE w.t >= $2::bigint
         OR (NOT EXISTS (SELECT 1 FROM stix_objects o
                          WHERE o.collection_id = $1 AND o.type = 'indicator' AND o.date_added > w.t AND o.date_added <= $2::bigint AND o.is_head
                            AND NOT EXISTS (SELECT 1 FROM analysis_keys k WHERE k.collection_id = $1 AND k.date_added = o.date_added))
             AND NOT EXISTS (SELECT 1 FROM collection_events e
                               JOIN stix_objects o ON o.collection_id = e.collection_id AND o.id = e.object_id AND o.is_head
                              WHERE e.collection_id = $1 AND e.position > w.t AND e.position <= $2::bigint AND e.type = 'indicator'
                                AND e.operation IN ('updated', 'revoked', 'benign', 'expired')
                                AND NOT EXISTS (SELECT 1 FROM analysis_keys k WHERE k.collection_id = $1 AND k.date_added = o.date_added)))
     ON CONFLICT (collection_id) DO UPDATE SET indexed_through = GREATEST(analysis_watermarks.indexed_through, EXCLUDED.indexed_through)`,
    [collectionId, before, after],
  );
}

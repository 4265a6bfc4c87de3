import type { HashAlgorithm, IndicatorKind } from '../../../domain/indicators';
import type { MatchEntry } from '../../../domain/matching/match-types';
import type { TlpLevel } from '../../../domain/tenancy';

/**
 * The mirror's files are JSON lines, one array each, the first item saying what the line is. The
 * data file and the journal use the same lines; the journal adds `k` lines, each committing the
 * lines before it. An indicator line carries everything a hit prints (names resolved), so loading
 * is one streaming pass with nothing to join; no raw STIX is kept.
 *
 *   ["i", collection, id, dateAdded, tlp, createdBy|null, provider|null, validUntil|null, confidence|null, [campaign names], kind, value, algorithm|null, ...]
 *   ["-i", collection, id]
 *   ["p", identityId, name|null]          an identity (null: the hub's own, which names no provider)
 *   ["c", collection, campaignId, name]   ["-c", collection, campaignId]
 *   ["r", collection, relationshipId, campaignId, indicatorId]   ["-r", collection, relationshipId]
 *   ["k", collection, CollectionState|null]   the collection's state once the lines before it are applied
 */

/** Where the mirror stands in one collection. */
export interface CollectionState {
  readonly id: string;
  readonly title: string;
  readonly alias?: string;
  readonly apiRoot: string;
  /** The X-TAXII-Date-Added-Last of the last page of indicators applied: the next poll's added_after. */
  readonly addedAfter?: string;
  /** The same for identities, campaigns and relationships (polled apart). */
  readonly namesAddedAfter?: string;
  /** The change-feed cursor after the last change read applied (a taxii-hub only). */
  readonly changeCursor?: string;
  /** False once the server answered 404 to the change feed (not a taxii-hub). */
  readonly changeFeed?: boolean;
  /** A full pass is under way: a resumed sync starts it again (what it has seen is not kept). */
  readonly fullPass?: boolean;
  readonly syncedAt?: string;
}

/** What an indicator line holds. */
export interface IndicatorLine {
  readonly collection: string;
  readonly id: string;
  /**
   * The clock label (microseconds) the mirror's copy is known current at: the X-TAXII-Date-Added-Last
   * of the page it came in (see mirror-sync.ts for why that and not the page's first), or the
   * change event's position.
   */
  readonly dateAdded: number;
  readonly tlp: TlpLevel;
  readonly createdBy: string | null;
  readonly provider: string | null;
  readonly validUntilMicros: number | null;
  readonly confidence: number | null;
  readonly campaigns: readonly string[];
  readonly values: readonly (readonly [IndicatorKind, string, HashAlgorithm | null])[];
}

export function indicatorLine(i: IndicatorLine): string {
  const head: unknown[] = ['i', i.collection, i.id, i.dateAdded, i.tlp, i.createdBy, i.provider, i.validUntilMicros, i.confidence, i.campaigns];
  for (const [kind, value, algorithm] of i.values) head.push(kind, value, algorithm);
  return JSON.stringify(head);
}

type Row = readonly unknown[];

export function parseIndicatorLine(row: Row): IndicatorLine {
  const values: [IndicatorKind, string, HashAlgorithm | null][] = [];
  for (let at = 10; at + 2 < row.length; at += 3) {
    values.push([row[at] as IndicatorKind, row[at + 1] as string, row[at + 2] as HashAlgorithm | null]);
  }
  return {
    collection: row[1] as string,
    id: row[2] as string,
    dateAdded: row[3] as number,
    tlp: row[4] as TlpLevel,
    createdBy: row[5] as string | null,
    provider: row[6] as string | null,
    validUntilMicros: row[7] as number | null,
    confidence: row[8] as number | null,
    campaigns: row[9] as string[],
    values,
  };
}

/** The match entries of an indicator line (what loadMirror puts in the index). */
export function entriesOfRow(row: Row): MatchEntry[] {
  const collection = row[1] as string;
  const indicatorId = row[2] as string;
  const tlp = row[4] as TlpLevel;
  const provider = row[6] as string | null;
  const validUntil = row[7] as number | null;
  const confidence = row[8] as number | null;
  const campaigns = row[9] as string[];
  const entries: MatchEntry[] = [];
  for (let at = 10; at + 2 < row.length; at += 3) {
    const algorithm = row[at + 2] as HashAlgorithm | null;
    entries.push({
      indicatorId,
      kind: row[at] as IndicatorKind,
      value: row[at + 1] as string,
      ...(algorithm !== null ? { algorithm } : {}),
      collection,
      tlp,
      campaigns,
      ...(provider !== null ? { provider } : {}),
      ...(validUntil !== null ? { validUntilMicros: validUntil } : {}),
      ...(confidence !== null ? { confidence } : {}),
    });
  }
  return entries;
}

/** The key of an indicator (or campaign, relationship) within the mirror: one per collection. */
export const keyOf = (collection: string, id: string): string => `${collection}\n${id}`;

/**
 * Where the hub keeps who polled each collection last and how far (issue 16, migrations 024 and 025): one
 * mark per collection and polling principal. Writes keep the greatest time and position, so marks
 * written by several hub processes in any order end as the latest poll and the furthest position.
 */
/**
 * TAXII 2.1 Get Objects / Get Object Manifests, TAXII 1.1 Poll, the hub's change feed (GET
 * /api/collections/{c}/changes), a sensor feed (GET /api/collections/{c}/feeds/{format}), or a live
 * stream (GET /api/collections/{c}/stream: recorded on its heartbeats and when it ends).
 */
export type PollProtocol = 'taxii21' | 'taxii11' | 'changes' | 'feed' | 'stream';

export interface PollMark {
  readonly collectionId: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly username: string;
  /** Present when the principal polled with an API key. */
  readonly apiKeyId?: string;
  /** The protocol of the latest poll. */
  readonly protocol: PollProtocol;
  /** When it last polled (epoch milliseconds). */
  readonly polledAt: number;
  /** The date_added (microseconds) up to which it has been served; 0 when it has been served nothing. */
  readonly position: number;
  /** The STIX types the latest poll asked for (match[type], the change feed's types), sorted; absent: every type. */
  readonly types?: readonly string[];
}

/** What names one mark: its collection and polling principal (organization, user, API key). */
export const pollMarkKey = (m: Pick<PollMark, 'collectionId' | 'organizationId' | 'userId' | 'apiKeyId'>): string =>
  `${m.collectionId}\u0000${m.organizationId}\u0000${m.userId}\u0000${m.apiKeyId ?? ''}`;

export interface PollMarkStore {
  /** Merges the marks into the stored ones (greatest time and position; the protocol and types of the later poll). */
  record(marks: readonly PollMark[]): Promise<void>;
  /** The marks of a collection, of one organization when given, latest poll first. */
  marksOf(collectionId: string, organizationId?: string): Promise<PollMark[]>;
}

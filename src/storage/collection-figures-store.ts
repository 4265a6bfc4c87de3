import type { ReadScope } from '../access/read-scope';
import type { TlpLevel } from '../domain/tenancy';

/**
 * Figures of one collection as one reader may know them: how many objects (each in its latest
 * version, the head) each provider has there under each TLP marking, and when the latest of them was
 * added. Only heads the scope may read are counted, so a figure never reveals an object the reader
 * cannot read.
 */
export interface ProviderMarkingFigure {
  readonly providerOrgId: string;
  readonly tlp: TlpLevel;
  readonly objects: number;
  /** Of those, the indicators. */
  readonly indicators: number;
  /** The latest date_added (microseconds) among those heads. */
  readonly lastAdded: number;
}

/** What a reader has not been served yet: the readable versions added after a position. */
export interface ReadableBacklog {
  /** Distinct objects with a readable version added after the position. */
  readonly objects: number;
  /** Readable versions added after the position. */
  readonly versions: number;
  /** The date_added (microseconds) of the oldest of them; absent when there is none. */
  readonly oldestAdded?: number;
  /** More than `limit` versions wait: the counts stopped there (objects and versions are lower bounds). */
  readonly more: boolean;
}

export interface CollectionFiguresStore {
  readableFigures(collectionId: string, scope: ReadScope): Promise<ProviderMarkingFigure[]>;
  /**
   * The readable versions added after `position` (microseconds), of the given types only when given,
   * counted up to `limit` versions (the oldest first), so a reader far behind costs no more than that.
   */
  readableBacklog(collectionId: string, scope: ReadScope, position: number, limit: number, types?: readonly string[]): Promise<ReadableBacklog>;
}

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
  /** The latest date_added (microseconds) among those heads. */
  readonly lastAdded: number;
}

export interface CollectionFiguresStore {
  readableFigures(collectionId: string, scope: ReadScope): Promise<ProviderMarkingFigure[]>;
}

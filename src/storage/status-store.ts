/**
 * The storage port for TAXII 2.1 status resources (§4.3): what became of each object of one POST to
 * an objects endpoint. A status belongs to the API root it was posted to and to the posting
 * organization; who may read it is the service's decision.
 */

/** One object's outcome (TAXII status-details, §4.3.1). */
export interface StatusDetail {
  readonly id: string;
  /** The object's version as TAXII reports it (its `modified`, else `created`, else its date_added). */
  readonly version: string;
  readonly message?: string;
}

export interface TaxiiStatus {
  /** A UUID. */
  readonly id: string;
  readonly apiRootId: string;
  readonly collectionId: string;
  readonly organizationId: string;
  /** When the request arrived, in microseconds. */
  readonly requestTimestamp: number;
  /** When processing completed, in microseconds; null while pending. */
  readonly completedAt: number | null;
  readonly status: 'pending' | 'complete';
  /** The counts are the lengths of these lists. */
  readonly successes: readonly StatusDetail[];
  readonly failures: readonly StatusDetail[];
  readonly pendings: readonly StatusDetail[];
}

/** TAXII asks for at least 24 hours after completion; the hub keeps completed statuses 7 days. */
export const STATUS_RETENTION_MICROS = 7 * 24 * 60 * 60 * 1_000_000;

export interface StatusStore {
  insert(status: TaxiiStatus): Promise<void>;
  /** The status with this id in this API root; undefined when there is none (or the id is not a UUID). */
  get(apiRootId: string, id: string): Promise<TaxiiStatus | undefined>;
  /** Deletes the statuses completed more than `retentionMicros` before `nowMicros`; returns how many. */
  purgeExpired(nowMicros: number, retentionMicros?: number): Promise<number>;
}

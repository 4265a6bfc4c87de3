import type { ReadScope } from '../access/read-scope';
import type { NewAuditEntry } from './tenancy-store';
import type { AppendGuard, NewObjectVersion, ProviderAppendOutcome } from './object-store';

/**
 * The storage port of reports about shared objects (issue 14 §3): sightings of an indicator
 * (`sighting_of_ref`) and opinions / notes about objects (`object_refs`).
 *
 * Named readers: a report that names an object stored in the same collection which its writer's
 * organization may read (the `readerScope` given to the append) is also readable by that object's
 * provider, whatever the report's marking: the reporter reports to the provider; the marking decides
 * who else. They are worked out by the store under the collection's clock lock, from the objects
 * stored at that moment, and kept with the version (stix_objects.named_readers, migration 017); the
 * writer's own organization is never one. A reference to an object that is not stored there, or that
 * `readerScope` may not read, gives no named reader and no error (an error would tell the writer the
 * object exists). Every read filtered by a ReadScope honours them (see docs/access.md).
 * Implemented over SQL by SqlSightingStore.
 */
export interface SightingStore {
  /**
   * Stores reports (sightings, opinions, notes, or any STIX object) provided by `reporterOrgId` (every
   * version's providerOrgId must be it), exactly like ObjectStore.appendAsProvider: one transaction under
   * the collection's clock lock, an id has one provider, revocation is final, `guard` asked about every
   * version not stored yet, `audit` records committed with the versions.
   *
   * It does NOT ask whether the reporter may write to the collection: reporting what one saw is what
   * readers do, so the service decides who may report (a consumer entitled to read the collection may)
   * before calling this. The reporter's organization must be a known organization (the foreign key).
   * Named readers come from `readerScope` (see above): pass the scope the reporter's organization reads
   * the collection under.
   */
  appendReports(
    collectionId: string,
    reporterOrgId: string,
    versions: readonly NewObjectVersion[],
    nowMicros: number,
    readerScope: ReadScope,
    options?: ReportAppendOptions,
  ): Promise<ProviderAppendOutcome[]>;

  /**
   * The figures of each of `indicatorIds` in the collection, per reporting organization (the
   * provider_org_id of the reports), over the head version of every sighting whose `sighting_of_ref`
   * is the indicator and every opinion whose `object_refs` names it, leaving out revoked heads and
   * whatever `scope` may not read (named readers included: the indicator's provider reads every
   * report about it). Rows in indicator id order, then reporter order; an indicator with no readable
   * report has no row. Answers a page of 100 indicators with a few index probes per report.
   */
  figures(collectionId: string, indicatorIds: readonly string[], scope: ReadScope): Promise<ReporterFigures[]>;

  /**
   * The reports about one indicator that `scope` may read, as figures counts them (head versions of
   * its sightings and false-positive opinions, not revoked), newest first, at most `limit`.
   */
  reports(collectionId: string, indicatorId: string, scope: ReadScope, limit: number): Promise<StoredReport[]>;
}

/** One report about an indicator, as a reader of it may list it. */
export interface StoredReport {
  readonly id: string;
  readonly type: 'sighting' | 'opinion';
  readonly reporterOrgId: string;
  readonly dateAdded: number;
  readonly object: Readonly<Record<string, unknown>>;
  readonly tlp: string;
}

/** What appendReports may do besides storing: the sharing rules' guard and the audit records of the outcomes. */
export interface ReportAppendOptions {
  readonly guard?: AppendGuard;
  readonly audit?: (outcomes: readonly ProviderAppendOutcome[]) => readonly NewAuditEntry[];
}

/** One organization's reports about one indicator, as `scope` may read them. */
export interface ReporterFigures {
  readonly indicatorId: string;
  /** The organization that provided the reports (their provider_org_id). */
  readonly reporterOrgId: string;
  /** How many sighting objects (heads, not revoked). */
  readonly sightings: number;
  /** The sum of their `count`; a sighting without `count` counts 1 (STIX allows 0, which adds 0). */
  readonly count: number;
  /** The earliest `first_seen` among them, in microseconds; absent when none states one. */
  readonly firstSeen?: number;
  /** The latest `last_seen` among them, in microseconds; absent when none states one. */
  readonly lastSeen?: number;
  /** How many opinions about the indicator say it is wrong: `opinion` is 'strongly-disagree' or 'disagree'. */
  readonly falsePositives: number;
}

/** The opinion values that count as a false-positive report. */
export const FALSE_POSITIVE_OPINIONS = ['strongly-disagree', 'disagree'] as const;

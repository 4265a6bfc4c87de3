import type { ReadScope } from '../../access/read-scope';
import type { TlpLevel } from '../../domain/tenancy';
import type {
  AppendGuard,
  AppendOutcome,
  CollectionWriteSession,
  HistoryVersion,
  IndicatorListQuery,
  PurgedDependent,
  PurgedVersion,
  DeletedVersion,
  ManifestEntry,
  NewObjectVersion,
  ObjectDeletion,
  ObjectEntry,
  ObjectPageSelection,
  ObjectStore,
  ProviderAppendOutcome,
  SelectedPage,
  StoredVersionFacts,
} from '../object-store';
import type { NewAuditEntry } from '../tenancy-store';
import { appendVersions, lockClock, restoreHeads, withoutProviderGuard } from './append-versions';
import { recordRemovals, removedHeadOf, type HeadRow } from './change-events';
import { withCollectionsWriteSession, withCollectionWriteSession } from './collection-write-session';
import { indicatorHeads, objectHistory, purgeObject } from './object-lifecycle';
import type { Database } from './database';
import { deleteVersionsSql, readableFactsSql, selectPageSql } from './object-queries';
import { SqlAuditRepository } from './repositories/audit-repository';
import { transactionSession } from './repositories/sql-session';
import { TableStatistics } from './table-statistics';

interface EntryRow {
  date_added: string;
  id: string;
  type: string;
  spec_version: string;
  version: string;
  json?: string;
  stix_version?: string | null;
}

function toManifestEntry(row: EntryRow): ManifestEntry {
  return {
    dateAdded: Number(row.date_added),
    id: row.id,
    type: row.type,
    specVersion: row.spec_version,
    version: Number(row.version),
    ...(typeof row.stix_version === 'string' ? { stixVersion: row.stix_version } : {}),
  };
}

function toObjectEntry(row: EntryRow): ObjectEntry {
  return { ...toManifestEntry(row), json: row.json ?? 'null' };
}

/** The hub_object_keys key of the hub's own identity (scope '', hub-wide). */
const HUB_IDENTITY_KEY = 'hub-identity';

/** The ObjectStore over SQL, for both engines. */
export class SqlObjectStore implements ObjectStore {
  /** Planner statistics of stix_objects, refreshed as it grows (see table-statistics.ts). */
  readonly statistics: TableStatistics;

  private readonly onWrite: (collectionId: string) => void;

  constructor(
    private readonly db: Database,
    options: {
      onStatisticsError?: (error: unknown) => void;
      /** Told after a write to a collection committed (the delivery engine wakes on it). */
      onWrite?: (collectionId: string) => void;
    } = {},
  ) {
    // object_references too on PostgreSQL (the sharing guard looks them up by target_id); measured
    // on PGlite with a geometric schedule, it gave no gain there (docs/benchmarks.md, issue 12)
    const alsoTables = db.engine === 'postgres' ? ['object_references'] : [];
    this.statistics = new TableStatistics(db, 'stix_objects', options.onStatisticsError, 1000, alsoTables);
    this.onWrite = options.onWrite ?? (() => {});
  }

  /** `result`, once the write to `collectionIds` it comes from has committed, told to onWrite. */
  private written<T>(collectionIds: readonly string[], result: T): T {
    for (const id of collectionIds) this.onWrite(id);
    return result;
  }

  private counted<T extends { kind: string }>(outcomes: T[]): T[] {
    this.statistics.rowsAdded(outcomes.filter((o) => o.kind === 'added').length);
    return outcomes;
  }

  async append(collectionId: string, versions: readonly NewObjectVersion[], nowMicros: number): Promise<AppendOutcome[]> {
    if (versions.length === 0) return [];
    return this.written([collectionId], withoutProviderGuard(this.counted(await appendVersions(this.db, collectionId, versions, nowMicros))));
  }

  async selectObjects(query: ObjectPageSelection): Promise<SelectedPage<ObjectEntry>> {
    const { text, values } = selectPageSql(query, true);
    const { rows } = await this.db.query<EntryRow>(text, values);
    return { entries: rows.slice(0, query.limit).map(toObjectEntry), more: rows.length > query.limit };
  }

  async selectManifest(query: ObjectPageSelection): Promise<SelectedPage<ManifestEntry>> {
    const { text, values } = selectPageSql(query, false);
    const { rows } = await this.db.query<EntryRow>(text, values);
    return { entries: rows.slice(0, query.limit).map(toManifestEntry), more: rows.length > query.limit };
  }

  async readableVersionFacts(collectionId: string, scope: ReadScope, id: string): Promise<StoredVersionFacts[]> {
    const { text, values } = readableFactsSql(collectionId, scope, id);
    const { rows } = await this.db.query<{ provider_org_id: string; tlp: TlpLevel; recipients: string[]; named_readers: string[] }>(text, values);
    return rows.map((row) => ({ providerOrgId: row.provider_org_id, tlp: row.tlp, recipients: row.recipients, namedReaders: row.named_readers }));
  }

  async deleteVersions(deletion: ObjectDeletion, audit: (deleted: readonly DeletedVersion[]) => NewAuditEntry): Promise<DeletedVersion[]> {
    const { text, values } = deleteVersionsSql(deletion);
    const deleted = await this.db.transaction(async (tx) => {
      // Under the clock lock, like every writer of the collection: the head moves with the deletion.
      await lockClock(tx, deletion.collectionId);
      const head = await tx.query<HeadRow & { date_added: string }>(
        'SELECT id, type, version, provider_org_id, tlp, recipients, named_readers, date_added FROM stix_objects WHERE collection_id = $1 AND id = $2 AND is_head',
        [deletion.collectionId, deletion.id],
      );
      const { rows } = await tx.query<{ id: string; date_added: string; spec_version: string; version: string }>(text, values);
      if (rows.length > 0) await restoreHeads(tx, deletion.collectionId, [deletion.id]);
      const deleted = rows
        .map((row) => ({ id: row.id, dateAdded: Number(row.date_added), specVersion: row.spec_version, version: Number(row.version) }))
        .sort((a, b) => a.dateAdded - b.dateAdded);
      if (deleted.length === 0) return deleted;
      // The change feed: the removal (or the older version now the head) as events, in this transaction.
      const removedHead = head.rows.find((h) => deleted.some((d) => d.dateAdded === Number(h.date_added)));
      const versions = new Map([[deletion.id, deleted.map((d) => d.version)]]);
      await recordRemovals(tx, deletion.collectionId, removedHead ? [removedHeadOf(removedHead)] : [], versions, 'deleted', Date.now() * 1000);
      await new SqlAuditRepository(transactionSession(tx)).append(audit(deleted));
      return deleted;
    });
    return deleted.length > 0 ? this.written([deletion.collectionId], deleted) : deleted;
  }

  async appendAsProvider(
    collectionId: string,
    providerOrgId: string,
    versions: readonly NewObjectVersion[],
    nowMicros: number,
    audit?: (outcomes: readonly ProviderAppendOutcome[]) => readonly NewAuditEntry[],
    guard?: AppendGuard,
    reader?: ReadScope,
  ): Promise<ProviderAppendOutcome[]> {
    if (versions.length === 0) return [];
    if (versions.some((v) => v.providerOrgId !== providerOrgId)) throw new Error('appendAsProvider: every version must be provided by providerOrgId');
    return this.written([collectionId], this.counted(await appendVersions(this.db, collectionId, versions, nowMicros, providerOrgId, audit, guard, reader)));
  }

  async writeLocked<T>(collectionId: string, nowMicros: number, work: (session: CollectionWriteSession) => Promise<T>): Promise<T> {
    return this.written([collectionId], await withCollectionWriteSession(this.db, collectionId, nowMicros, work, (rows) => this.statistics.rowsAdded(rows)));
  }

  async writeLockedMany<T>(collectionIds: readonly string[], nowMicros: number, work: (sessions: ReadonlyMap<string, CollectionWriteSession>) => Promise<T>): Promise<T> {
    return this.written(collectionIds, await withCollectionsWriteSession(this.db, collectionIds, nowMicros, work, (rows) => this.statistics.rowsAdded(rows)));
  }

  objectHistory(collectionId: string, scope: ReadScope, id: string): Promise<HistoryVersion[]> {
    return objectHistory(this.db, collectionId, scope, id);
  }

  async purgeObject(id: string, providers: readonly string[] | 'any', audit: (deleted: readonly PurgedVersion[], dependents: readonly PurgedDependent[]) => NewAuditEntry): Promise<PurgedVersion[]> {
    const purged = await purgeObject(this.db, id, providers, audit);
    return this.written([...new Set(purged.map((p) => p.collectionId))], purged);
  }

  async hubIdentityId(make: () => string): Promise<string> {
    await this.db.query("INSERT INTO hub_object_keys (scope, key, object_id) VALUES ('', $1, $2) ON CONFLICT (scope, key) DO NOTHING", [HUB_IDENTITY_KEY, make()]);
    const { rows } = await this.db.query<{ object_id: string }>("SELECT object_id FROM hub_object_keys WHERE scope = '' AND key = $1", [HUB_IDENTITY_KEY]);
    return (rows[0] as { object_id: string }).object_id;
  }

  indicatorHeads(query: IndicatorListQuery): Promise<HistoryVersion[]> {
    return indicatorHeads(this.db, query);
  }
}

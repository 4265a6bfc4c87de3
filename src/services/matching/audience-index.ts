import type { ReadScope } from '../../access/read-scope';
import type { HashAlgorithm, IndicatorKind } from '../../domain/indicators';
import { matchEntriesOf, type MatchEntry, type MatchIndex } from '../../domain/matching';
import { stateOf } from '../../domain/lifecycle/indicator-state';
import type { Principal } from '../../domain/principal';
import type { Attribution, TlpLevel } from '../../domain/tenancy';
import { tlpFromMarkingRefs } from '../../domain/tlp';
import { nowMicros, parseMicros } from '../../domain/timestamps';
import { NOTICE_OPERATIONS, REMOVAL_OPERATIONS, type ChangeEvent } from '../../storage/change-feed-store';
import type { DerivedFeedEntries, SensorFeedStore } from '../../storage/sensor-feed-store';
import type { ChangeFeedService } from '../delivery/change-feed/change-feed-service';
import { deriveMissing, FEED_ENTRY_DERIVATION } from '../feeds/feed-derivation';

/**
 * The match index of one (collection, audience): the collection's active indicators readable under
 * one ReadScope, built once from the sensor-feed store (the values saved for feeds, migration 015:
 * what no feed or earlier index saved is worked out once and saved) and kept up to date from
 * the change feed, read after the kept cursor by a reader of the same audience. Every cursor the
 * change feed hands back names its audience; one that names another (the reader's access changed
 * while we were reading) makes the caller throw the index away (AudienceMoved), so an index never
 * holds what another audience reads.
 */

export interface AudienceIndexDeps {
  readonly feeds: Pick<SensorFeedStore, 'activeIndicators' | 'indicatorSources' | 'saveDerived' | 'campaignNames'>;
  readonly changeFeed: ChangeFeedService;
  readonly lastPosition: (collectionId: string) => Promise<number>;
  readonly createIndex: () => MatchIndex;
  readonly now: () => number;
}

/** What an index is of: the collection, the reader's scope and its audience key, and the collection's attribution. */
export interface AudienceOf {
  readonly collectionId: string;
  readonly scope: ReadScope;
  readonly audienceKey: string;
  readonly attribution: Attribution;
  readonly defaultMarking: TlpLevel;
}

/** The reader's audience changed between resolving it and reading the change feed: build again. */
export class AudienceMoved extends Error {}

const CHUNK = 5000;
const CHANGES_PAGE = 1000;
const NO_CAMPAIGNS: readonly string[] = Object.freeze([]);

export class AudienceIndex {
  private cursor = '';
  /** The collection clock everything up to which is applied (a read after `cursor` found nothing more). */
  private checkedUpTo = -1;
  private campaigns = new Map<string, string[]>();
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly deps: AudienceIndexDeps,
    readonly of: AudienceOf,
    readonly index: MatchIndex,
  ) {}

  /** Builds the index from the store, `who` being a reader of `of`'s audience. */
  static async build(deps: AudienceIndexDeps, who: Principal, of: AudienceOf): Promise<AudienceIndex> {
    const built = new AudienceIndex(deps, of, deps.createIndex());
    await built.fill(who);
    return built;
  }

  get size(): number {
    return this.index.size;
  }

  /** The campaign names of an indicator, as this audience may know them. */
  campaignsOf(indicatorId: string): readonly string[] {
    return this.campaigns.get(indicatorId) ?? NO_CAMPAIGNS;
  }

  /**
   * Applies every change committed before the call (nothing read when the collection clock did not
   * move). Catch-ups run one after another, each request's after the ones before it.
   */
  catchUp(who: Principal): Promise<void> {
    const step = this.queue.then(async () => {
      const clock = await this.deps.lastPosition(this.of.collectionId);
      if (clock !== this.checkedUpTo) await this.readChanges(who, clock);
    });
    this.queue = step.catch(() => undefined); // a failed read does not stop the next one
    return step;
  }

  private async fill(who: Principal): Promise<void> {
    const { collectionId, scope } = this.of;
    // The cursor and the clock first: everything committed up to them is in what is read after.
    const clock = await this.deps.lastPosition(collectionId);
    this.cursor = await this.deps.changeFeed.currentCursor(who, collectionId);
    this.checkAudience(this.cursor);
    this.checkedUpTo = clock;
    this.campaigns = await this.deps.feeds.campaignNames(collectionId, scope);
    const at = nowMicros(this.deps.now);
    const pageAfter = (after: number | undefined) => this.deps.feeds.activeIndicators(
      { collectionId, scope, nowMicros: at, derivation: FEED_ENTRY_DERIVATION, ...(after !== undefined ? { afterDateAdded: after } : {}) },
      CHUNK,
    );
    let next = pageAfter(undefined);
    for (;;) {
      const page = await next;
      const after = page.indicators.at(-1)?.dateAdded;
      const more = page.more && after !== undefined;
      // The next page is read (by the database) while this one is worked out and indexed here.
      if (more) {
        next = pageAfter(after);
        next.catch(() => undefined); // awaited below; a failure here must not go unhandled if this page fails first
      }
      // Values no feed saved yet are worked out as feeds work them out, and saved for the next reader.
      const worked = await deriveMissing(this.deps.feeds, collectionId, page.indicators);
      for (const head of page.indicators) {
        const derived = head.derived ?? worked.get(head.dateAdded);
        if (derived === undefined) continue; // gone since it was read
        this.index.put(head.id, this.entriesOf(head.id, head.providerOrgId, head.tlp, derived));
      }
      if (!more) break;
    }
  }

  private async readChanges(who: Principal, clock: number): Promise<void> {
    let campaignsChanged = false;
    for (;;) {
      const page = await this.deps.changeFeed.read(who, this.of.collectionId, this.cursor, CHANGES_PAGE);
      this.checkAudience(page.cursor);
      for (const event of page.events) {
        if (NOTICE_OPERATIONS.includes(event.operation)) continue; // a notice about an indicator, not a version of it
        if (event.type === 'indicator') this.apply(event);
        else if (event.type === 'relationship' || event.type === 'campaign') campaignsChanged = true;
      }
      this.cursor = page.cursor;
      if (!page.more) break;
    }
    // Campaign names come from relationships and campaigns: read again whole (one query), rare.
    if (campaignsChanged) this.campaigns = await this.deps.feeds.campaignNames(this.of.collectionId, this.of.scope);
    this.checkedUpTo = clock;
  }

  private apply(event: ChangeEvent): void {
    if (REMOVAL_OPERATIONS.includes(event.operation) || event.json === undefined) {
      this.index.remove(event.objectId);
      return;
    }
    const object = JSON.parse(event.json) as Record<string, unknown>;
    // Revoked, benign or expired (lookups skip expired entries anyway; the index need not hold them).
    if (stateOf(object, nowMicros(this.deps.now)) !== 'active') {
      this.index.remove(event.objectId);
      return;
    }
    const refs = Array.isArray(object.object_marking_refs) ? object.object_marking_refs.filter((r): r is string => typeof r === 'string') : [];
    const tlp = tlpFromMarkingRefs(refs) ?? this.of.defaultMarking;
    const entries = matchEntriesOf(object, { collection: this.of.collectionId, tlp, campaigns: NO_CAMPAIGNS, ...this.providerOf(event.providerOrgId) });
    if (entries.length === 0) this.index.remove(event.objectId);
    else this.index.put(event.objectId, entries);
  }

  /** The provider's organization where this audience may know it: attributed collections, operators, and a provider's own indicators. */
  private providerOf(providerOrgId: string): { provider?: string } {
    const { attribution, scope } = this.of;
    const shown = attribution === 'attributed' || scope.kind === 'all' || (scope.kind === 'filtered' && scope.self === providerOrgId);
    return shown ? { provider: providerOrgId } : {};
  }

  private entriesOf(indicatorId: string, providerOrgId: string, tlp: TlpLevel, derived: DerivedFeedEntries): MatchEntry[] {
    const provider = this.providerOf(providerOrgId);
    const until = derived.validUntil !== undefined ? parseMicros(derived.validUntil) : undefined;
    return derived.values.map((v) => ({
      indicatorId,
      kind: v.kind as IndicatorKind,
      value: v.value,
      ...(v.algorithm !== undefined ? { algorithm: v.algorithm as HashAlgorithm } : {}),
      collection: this.of.collectionId,
      tlp,
      campaigns: NO_CAMPAIGNS, // per audience, read at answer time (campaignsOf)
      ...provider,
      ...(until !== undefined ? { validUntilMicros: until } : {}),
      ...(derived.confidence !== undefined ? { confidence: derived.confidence } : {}),
    }));
  }

  private checkAudience(cursor: string): void {
    const decoded = this.deps.changeFeed.decodeCursor(this.of.collectionId, cursor);
    if (!decoded.ok) throw new Error(`matching: the change feed's own cursor does not decode: ${decoded.reason}`);
    if (decoded.audienceKey !== this.of.audienceKey) throw new AudienceMoved();
  }
}

import { randomUUID } from 'node:crypto';
import type { ReadScope } from '../../access/read-scope';
import { canonicalJson } from '../../domain/canonical-json';
import { hubError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import type { ContentBindingRef } from '../../domain/taxii11/taxii-requests';
import type { Collection } from '../../domain/tenancy';
import type { FeedRange, FeedRecord, FeedStore } from '../../storage/feed-store';
import type { ResultSet, ResultSetStore } from '../../storage/result-set-store';
import { accessDenied } from '../access-errors';
import type { PolicyService } from '../policy-service';
import type { PollRecorder } from '../poll-marks/poll-recorder';
import { renderBlocks, type BlockRenderingDeps, type PollBlock } from './poll-blocks';
import { chooseContentBinding, pollWindow, unsupportedQuery, type PollWindow } from './poll-window';
import { TAXII11_RECORD_TYPES, type Taxii11Collections } from './taxii11-collections';

/**
 * The TAXII 1.1 Poll and Poll Fulfillment use cases (P-01..P-18, MP-01..MP-07, TL-*, MT-02).
 *
 * Records: every stored version of an indicator in the collection is one record labelled with its
 * date_added (a revocation is a later record of the same STIX 1.x indicator), counted and delivered
 * only when the caller may read it: the read scope of the same `decide` as TAXII 2.1 is inside every
 * query. Record_Count counts those readable records (partial_count false); a part's blocks may be
 * fewer when some records do not map to STIX 1.x (see poll-blocks).
 *
 * Window: see pollWindow. The collection's last committed label is read before any record, so the
 * answer's Inclusive_End_Timestamp is complete for good: a poller that sends it as its next
 * Exclusive_Begin_Timestamp never misses a record, whatever writers do concurrently.
 *
 * Parts: a FULL answer with more than `partSize` records is a result set (migration 011), an
 * immutable snapshot made when the poll is answered: the window's labels are cut, reading labels
 * only, into runs of `partSize` readable records; part k covers (cut[k-1], cut[k]] and carries those
 * bounds (part 1 from the poll's begin, the last part up to the window's end), so parts are
 * contiguous label ranges (MP-02) and every part holds at least one record (no empty trailing part,
 * MP-07). `more` is true on every part but the last. A part asked for again holds the same records,
 * less those deleted since and those the caller may no longer read (each fulfilment reads with the
 * caller's scope of now). Record_Count is the set's count; a caller whose read scope differs from the
 * one the set was counted under (access changed since) gets a fresh count. Only the organization that
 * polled may fulfil a set (MP-06): for anyone else, and once it expired, it does not exist (NOT_FOUND).
 * COUNT_ONLY answers Record_Count and the window, no blocks and no result set.
 */

export type PollResponseType = 'FULL' | 'COUNT_ONLY';

/** The parameters of the subscription a poll names (resolved by the caller, which checked its owner). */
export interface PolledSubscription {
  readonly id: string;
  readonly responseType: PollResponseType;
  readonly contentBindings: readonly ContentBindingRef[];
}

export interface PollInput {
  readonly collectionName: string;
  readonly exclusiveBegin?: number;
  readonly inclusiveEnd?: number;
  /** Poll_Parameters' Response_Type (ignored when polling a subscription). */
  readonly responseType: PollResponseType;
  /** Poll_Parameters' Content_Binding list, empty for any (ignored when polling a subscription). */
  readonly contentBindings: readonly ContentBindingRef[];
  /** Whether the request carried a Query. */
  readonly query: boolean;
  /** A poll by Subscription_ID: its parameters stand for Poll_Parameters. */
  readonly subscription?: PolledSubscription;
}

/** One Poll_Response. */
export interface PollPart {
  readonly collectionName: string;
  /** Present when the answer has several parts. */
  readonly resultId?: string;
  readonly more: boolean;
  readonly partNumber: number;
  readonly subscriptionId?: string;
  readonly exclusiveBegin?: number;
  /** Always present (P-12). */
  readonly inclusiveEnd: number;
  readonly recordCount: { readonly count: number; readonly partial: boolean };
  readonly blocks: readonly PollBlock[];
}

export interface Taxii11PollService {
  /**
   * Errors: AUTHENTICATION_REQUIRED, NOT_FOUND (ITEM) for a collection the caller does not see,
   * FORBIDDEN when it may not read it, UNSUPPORTED_QUERY with a Query, UNSUPPORTED_CONTENT_BINDING when
   * none of the requested bindings is offered, BAD_REQUEST when the end is not after the begin.
   */
  poll(who: Principal | undefined, input: PollInput): Promise<PollPart>;
  /**
   * Part `partNumber` of a result set. Errors: as poll for the collection; NOT_FOUND (ITEM: the result
   * id) for a set that is unknown, expired, of another collection or of another organization;
   * INVALID_RESPONSE_PART (MAX_PART_NUMBER) for a part number outside 1..the set's last part.
   */
  fulfil(who: Principal | undefined, collectionName: string, resultId: string, partNumber: number): Promise<PollPart>;
}

export interface Taxii11PollServiceDeps extends BlockRenderingDeps {
  readonly collections: Pick<Taxii11Collections, 'resolve'>;
  readonly feed: Pick<FeedStore, 'records' | 'count' | 'partition' | 'lastLabel' | 'indicatedCampaigns'>;
  readonly resultSets: ResultSetStore;
  readonly policy: Pick<PolicyService, 'current'>;
  /** Blocks per part; 1000 by default. */
  readonly partSize?: number;
  /** How long a result set may be fulfilled; one hour by default. */
  readonly resultSetTtlMs?: number;
  /** Epoch milliseconds. */
  readonly now?: () => number;
  readonly newResultId?: () => string;
  /** Told of every answered poll and part (issue 16: last poll and lag), with the end of the part served. */
  readonly polls?: Pick<PollRecorder, 'polled'>;
}

/** TAXII 1.1 polls need a caller (UNAUTHORIZED otherwise). */
function authenticated(who: Principal | undefined, collectionName: string): Principal {
  if (who === undefined) throw accessDenied('anonymous', `collection ${collectionName}`);
  return who;
}

export const DEFAULT_PART_SIZE = 1000;
export const DEFAULT_RESULT_SET_TTL_MS = 60 * 60 * 1000;

export function createTaxii11PollService(deps: Taxii11PollServiceDeps): Taxii11PollService {
  const partSize = deps.partSize ?? DEFAULT_PART_SIZE;
  const ttl = deps.resultSetTtlMs ?? DEFAULT_RESULT_SET_TTL_MS;
  const now = deps.now ?? Date.now;
  const newResultId = deps.newResultId ?? randomUUID;
  /** The caller was served every record up to `end` (a COUNT_ONLY answer serves none: it reached only its begin). */
  const served = (who: Principal, collectionId: string, end: number): void => deps.polls?.polled(who, collectionId, 'taxii11', end);

  const rangeOf = (collectionId: string, scope: ReadScope, window: PollWindow): FeedRange => ({
    collectionId,
    scope,
    types: TAXII11_RECORD_TYPES,
    ...(window.exclusiveBegin === undefined ? {} : { addedAfter: window.exclusiveBegin }),
    addedAtMost: window.inclusiveEnd,
  });

  async function blocksOf(who: Principal, collection: Collection, scope: ReadScope, bindingId: string, records: readonly FeedRecord[]): Promise<PollBlock[]> {
    const policy = await deps.policy.current();
    return renderBlocks(deps, { reader: who, policy, collectionId: collection.id, scope, bindingId }, records);
  }

  /** Every readable record of the range (a part holds at most partSize, unless access widened since it was cut). */
  async function allRecords(range: FeedRange, pageSize: number): Promise<FeedRecord[]> {
    const records: FeedRecord[] = [];
    let after = range.addedAfter;
    for (;;) {
      const page = await deps.feed.records({ ...range, ...(after === undefined ? {} : { addedAfter: after }) }, pageSize);
      records.push(...page.records);
      if (!page.more) return records;
      after = page.records.at(-1)?.dateAdded;
    }
  }

  return {
    async poll(who, input) {
      const principal = authenticated(who, input.collectionName);
      const { name, collection, scope } = await deps.collections.resolve(principal, input.collectionName, 'read');
      if (input.query) throw unsupportedQuery();
      const responseType = input.subscription?.responseType ?? input.responseType;
      const bindingId = chooseContentBinding(input.subscription?.contentBindings ?? input.contentBindings);
      const subscription = input.subscription === undefined ? {} : { subscriptionId: input.subscription.id };

      // The last committed label first: every record at or below it has committed (P-14, P-15).
      const window = pollWindow(input, await deps.feed.lastLabel(collection.id));
      const range = rangeOf(collection.id, scope, window);
      const answer = { collectionName: name, partNumber: 1, ...subscription, ...window };

      if (responseType === 'COUNT_ONLY') {
        served(principal, collection.id, window.exclusiveBegin ?? 0);
        return { ...answer, more: false, recordCount: { count: await deps.feed.count(range), partial: false }, blocks: [] };
      }
      const page = await deps.feed.records(range, partSize);
      if (!page.more) {
        const blocks = await blocksOf(principal, collection, scope, bindingId, page.records);
        served(principal, collection.id, window.inclusiveEnd);
        return { ...answer, more: false, recordCount: { count: page.records.length, partial: false }, blocks };
      }

      const { count, ends } = await deps.feed.partition(range, partSize);
      // Part k ends at the label of its last record; the last part ends where the window does.
      const cuts = [...ends.slice(0, -1), window.inclusiveEnd];
      if (cuts.length === 1) {
        // Records were deleted between the two reads: what is left fits one part.
        const blocks = await blocksOf(principal, collection, scope, bindingId, await allRecords(range, partSize));
        served(principal, collection.id, window.inclusiveEnd);
        return { ...answer, more: false, recordCount: { count, partial: false }, blocks };
      }
      const firstCut = cuts[0] as number;
      const blocks = await blocksOf(principal, collection, scope, bindingId, page.records.filter((r) => r.dateAdded <= firstCut));
      const created = now();
      await deps.resultSets.deleteExpired(created);
      const set: ResultSet = {
        id: newResultId(),
        collectionId: collection.id,
        ownerOrgId: principal.organizationId,
        ownerUserId: principal.userId,
        ...(window.exclusiveBegin === undefined ? {} : { exclusiveBegin: window.exclusiveBegin }),
        inclusiveEnd: window.inclusiveEnd,
        cuts,
        totalCount: count,
        partSize,
        contentBinding: bindingId,
        ...(input.subscription === undefined ? {} : { subscriptionId: input.subscription.id }),
        scopeKey: canonicalJson(scope),
        createdAt: created,
        expiresAt: created + ttl,
      };
      await deps.resultSets.create(set);
      served(principal, collection.id, firstCut);
      return { ...answer, resultId: set.id, more: true, inclusiveEnd: firstCut, recordCount: { count, partial: false }, blocks };
    },

    async fulfil(who, collectionName, resultId, partNumber) {
      const principal = authenticated(who, collectionName);
      const { name, collection, scope } = await deps.collections.resolve(principal, collectionName, 'read');
      const set = await deps.resultSets.get(resultId, principal.organizationId);
      if (set === undefined || set.collectionId !== collection.id || set.expiresAt <= now()) {
        throw hubError('NOT_FOUND', { description: `There is no result set ${resultId} of collection ${name}`, statusDetails: [{ name: 'ITEM', value: resultId }] });
      }
      const parts = set.cuts.length;
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > parts) {
        throw hubError('INVALID_RESPONSE_PART', {
          description: `Result set ${resultId} has parts 1 to ${parts}`,
          statusDetails: [{ name: 'MAX_PART_NUMBER', value: String(parts) }],
        });
      }
      const lower = partNumber === 1 ? set.exclusiveBegin : set.cuts[partNumber - 2];
      const part: PollWindow = { ...(lower === undefined ? {} : { exclusiveBegin: lower }), inclusiveEnd: set.cuts[partNumber - 1] as number };
      const records = await allRecords(rangeOf(collection.id, scope, part), set.partSize);
      const blocks = await blocksOf(principal, collection, scope, set.contentBinding, records);
      const setWindow: PollWindow = { ...(set.exclusiveBegin === undefined ? {} : { exclusiveBegin: set.exclusiveBegin }), inclusiveEnd: set.inclusiveEnd };
      const count = canonicalJson(scope) === set.scopeKey ? set.totalCount : await deps.feed.count(rangeOf(collection.id, scope, setWindow));
      served(principal, collection.id, part.inclusiveEnd);
      return {
        collectionName: name,
        resultId: set.id,
        more: partNumber < parts,
        partNumber,
        ...(set.subscriptionId === undefined ? {} : { subscriptionId: set.subscriptionId }),
        ...part,
        recordCount: { count, partial: false },
        blocks,
      };
    },
  };
}

import { randomBytes } from 'node:crypto';
import { DEFAULT_CANDIDATE_THRESHOLDS, type CandidateThresholds } from '../../../domain/analysis/clustering';
import { hubError } from '../../../domain/errors';
import { actorName, isOperator, type Principal } from '../../../domain/principal';
import type { TlpLevel } from '../../../domain/tenancy';
import type { CampaignStore } from '../../../storage/campaign-store';
import type { ObjectStore } from '../../../storage/object-store';
import type { SecretStore } from '../../../storage/secret-store';
import type { TenancyStore } from '../../../storage/tenancy-store';
import type { StixValidator } from '../../../validation/stix-validator';
import { accessDenied } from '../../access-errors';
import type { CollectionService } from '../../collection-service';
import type { PolicyService } from '../../policy-service';
import type { HubIdentity } from '../../sharing/hub-identity';
import { AudienceClusters } from './audience-clusters';
import { audienceTextOf, describeCandidates, memberRef, newestFirst, readableBy, readableCollections, type CandidateStatus, type ComputedCandidate, type DraftCandidate, type ReaderAudience } from './candidate-listing';
import { createSharedKeyGraph } from './shared-key-graph';
import { publishCampaign, type PublishedObject } from './candidate-publication';

/**
 * Campaign candidates (issue 15 §2): clusters of indicators that share values, computed per reader
 * over what it may read (candidate-listing.ts); an analyst confirms one (a STIX campaign and
 * `indicates` relationships, candidate-publication.ts) or rejects it (it stays rejected).
 */

export type { CandidateStatus, ComputedCandidate } from './candidate-listing';

export interface CandidateQuery {
  /** open (default: open ones, and ones in a campaign that have new members), rejected, in-campaign, or all. */
  readonly status?: CandidateStatus | 'all';
  /** Only the candidate(s) holding this indicator (STIX id). */
  readonly indicator?: string;
  /** At most this many (default 50, at most 500), most recently active first. */
  readonly limit?: number;
  /** Where the previous page ended (its `next`). */
  readonly after?: string;
}

export interface CandidatePage {
  readonly candidates: ComputedCandidate[];
  /** Given when more candidates follow: the `after` of the next page. */
  readonly next?: string;
}

export const DEFAULT_CANDIDATE_LIMIT = 50;
export const MAX_CANDIDATE_LIMIT = 500;

export interface ConfirmRequest {
  readonly name: string;
  readonly description?: string;
  /** An existing campaign (STIX id) to add the members to, instead of a new one. */
  readonly campaign?: string;
}

export interface ConfirmOutcome {
  readonly candidate: string;
  readonly campaign: { readonly id: string; readonly name: string };
  readonly createdBy: string;
  readonly marking: { readonly tlp: TlpLevel; readonly recipients: readonly string[] };
  readonly written: readonly PublishedObject[];
}

export interface RejectOutcome {
  readonly candidate: string;
  readonly members: readonly string[];
  readonly rejectedAt: number;
}

export interface CampaignCandidateService {
  /** One page's candidates (see page). */
  list(who: Principal | undefined, query?: CandidateQuery): Promise<ComputedCandidate[]>;
  page(who: Principal | undefined, query?: CandidateQuery): Promise<CandidatePage>;
  confirm(who: Principal | undefined, candidateId: string, request: ConfirmRequest): Promise<ConfirmOutcome>;
  reject(who: Principal | undefined, candidateId: string, request: { readonly reason?: string }): Promise<RejectOutcome>;
}

export interface CampaignCandidateDeps {
  readonly policy: Pick<PolicyService, 'current'>;
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly store: CampaignStore;
  /** Brings analysis keys up to date (AnalysisIndexer.catchUp): a request sees every committed indicator. */
  readonly catchUp: () => Promise<void>;
  readonly secrets: SecretStore;
  readonly objects: Pick<ObjectStore, 'writeLockedMany'>;
  readonly tenancy: Pick<TenancyStore, 'organizations' | 'audit'>;
  readonly validate: StixValidator;
  readonly hubIdentity: HubIdentity;
  readonly thresholds?: Partial<CandidateThresholds>;
  /** Milliseconds since the epoch (tests). */
  readonly now?: () => number;
}

const SECRET_NAME = 'campaign-candidate-ids';
/** At most this many audiences' clusters are kept, holding at most this many heads in all. */
const KEPT_AUDIENCES = 100;
const KEPT_HEADS = 5_000_000;

export function createCampaignCandidateService(deps: CampaignCandidateDeps): CampaignCandidateService {
  const thresholds = { ...DEFAULT_CANDIDATE_THRESHOLDS, ...deps.thresholds };
  const now = deps.now ?? Date.now;
  const secret = () => deps.secrets.getOrCreate(SECRET_NAME, () => randomSecret());
  const store = withRememberedValues(deps.store);
  const graph = createSharedKeyGraph({ store, windowDays: thresholds.windowDays, now });
  /** Each audience's clusters, kept up to date from the graph's changes; the least recently used leave first. */
  const audiences = new Map<string, AudienceClusters>();

  /** The reader's candidates in order, with what it reads (through TAXII's read gate). */
  async function draftsOf(who: Principal | undefined): Promise<{ principal: Principal; audience: ReaderAudience; drafts: DraftCandidate[]; nowMicros: number }> {
    if (who === undefined) throw accessDenied('anonymous', 'campaign candidates');
    await deps.catchUp();
    const audience = await readableCollections({ collections: deps.collections }, await deps.policy.current(), who);
    if (audience.readable.length === 0) return { principal: who, audience, drafts: [], nowMicros: now() * 1000 };
    const view = await graph.current();
    const idSecret = await secret();
    const nowMicros = now() * 1000;
    const key = audienceTextOf(audience);
    let clusters = audiences.get(key);
    audiences.delete(key);
    let drafts = clusters?.draftsAt(view, nowMicros);
    if (clusters === undefined || drafts === undefined) {
      clusters = new AudienceClusters({ view, readable: readableBy(audience), thresholds, secret: idSecret, audienceText: key }, nowMicros);
      drafts = clusters.draftsAt(view, nowMicros) as DraftCandidate[];
    }
    audiences.set(key, clusters);
    let held = 0;
    for (const kept of audiences.values()) held += kept.size;
    for (const [oldest, kept] of audiences) {
      if (audiences.size <= 1 || (audiences.size <= KEPT_AUDIENCES && held <= KEPT_HEADS)) break;
      audiences.delete(oldest);
      held -= kept.size;
    }
    return { principal: who, audience, drafts, nowMicros };
  }

  /**
   * Walks the reader's candidates in order from `after`, a page's worth at a time: the members of
   * those shown are checked to be active heads still (a TAXII DELETE, purge or revocation the keys do
   * not tell; if one is not, it leaves the graph and the candidates are worked out again), then
   * described and filtered by status, until `limit` are found.
   */
  async function pageOf(who: Principal | undefined, query: CandidateQuery): Promise<CandidatePage> {
    const status = query.status ?? 'open';
    const limit = Math.min(query.limit ?? DEFAULT_CANDIDATE_LIMIT, MAX_CANDIDATE_LIMIT);
    const wanted = (c: ComputedCandidate) =>
      status === 'all' || c.status === status || (status === 'open' && c.status === 'in-campaign' && (c.campaign?.newMembers.length ?? 0) > 0);
    for (let attempt = 0; ; attempt++) {
      const { principal, audience, drafts } = await draftsOf(who);
      const after = query.after !== undefined ? cursorPlace(query.after) : undefined;
      const chosen = drafts.filter((d) => (query.indicator === undefined || d.members.some((m) => m.id === query.indicator)) && (after === undefined || newestFirst(after, d) < 0));
      const rejections = chosen.length > 0 ? await store.rejections() : [];
      const found: ComputedCandidate[] = [];
      let stale: string[] = [];
      let i = 0;
      while (i < chosen.length && found.length < limit) {
        const batch = chosen.slice(i, i + Math.max(limit - found.length, 10));
        const refs = batch.flatMap((d) => d.members.map((m) => `${m.collectionId}/${m.dateAdded}`));
        const active = await store.stillActive(batch.flatMap((d) => d.members));
        stale = refs.filter((r) => !active.has(r));
        if (stale.length > 0) break;
        for (const c of await describeCandidates({ store }, principal, audience, batch, rejections)) {
          if (found.length >= limit) break;
          i++;
          if (wanted(c)) found.push(c);
        }
      }
      if (stale.length > 0 && attempt < 3) {
        graph.forget(stale);
        continue;
      }
      const last = found[found.length - 1];
      return { candidates: found, ...(last !== undefined && found.length >= limit && i < chosen.length ? { next: cursorOf(last) } : {}) };
    }
  }

  /** The caller's candidate, worded alike whether it does not exist or the caller cannot see it. */
  async function candidateFor(who: Principal | undefined, id: string): Promise<ComputedCandidate> {
    const { principal, audience, drafts } = await draftsOf(who);
    const draft = drafts.find((c) => c.id === id);
    const active = draft !== undefined ? await store.stillActive(draft.members) : new Set<string>();
    const stale = draft?.members.filter((m) => !active.has(`${m.collectionId}/${m.dateAdded}`)) ?? [];
    if (stale.length > 0) {
      graph.forget(stale.map((m) => `${m.collectionId}/${m.dateAdded}`));
      return candidateFor(who, id);
    }
    const [found] = draft !== undefined ? await describeCandidates({ store }, principal, audience, [draft], await store.rejections()) : [];
    if (found === undefined) throw hubError('NOT_FOUND', `There is no campaign candidate ${id}`);
    return found;
  }

  /** Operators decide about any candidate; an org-admin about one whose every member its own organization provides. */
  function mayDecide(who: Principal, candidate: ComputedCandidate, action: string): void {
    if (isOperator(who)) return;
    if (who.roles.has('org-admin') && candidate.members.every((m) => m.providerOrgId === who.organizationId)) return;
    throw hubError(
      'FORBIDDEN',
      `To ${action} campaign candidate ${candidate.id} you need the operator role` +
        (candidate.members.every((m) => m.providerOrgId === who.organizationId) ? ', or the org-admin role of your organization' : ', or the org-admin role of an organization that provides every member (some members are provided by other organizations)'),
    );
  }

  return {
    async list(who, query = {}) {
      return (await pageOf(who, query)).candidates;
    },

    page: (who, query = {}) => pageOf(who, query),

    async confirm(who, candidateId, request) {
      const candidate = await candidateFor(who, candidateId);
      const principal = who as Principal;
      mayDecide(principal, candidate, 'confirm');
      if (candidate.status === 'rejected') throw hubError('CONFLICT', `Campaign candidate ${candidateId} was rejected${candidate.rejection?.reason !== undefined ? ` (${candidate.rejection.reason})` : ''}; it cannot be confirmed`);
      const policy = await deps.policy.current();
      return publishCampaign(
        { objects: deps.objects, validate: deps.validate, hubIdentity: deps.hubIdentity, organizations: deps.tenancy.organizations, now },
        policy,
        principal,
        candidate,
        request,
      );
    },

    async reject(who, candidateId, request) {
      const candidate = await candidateFor(who, candidateId);
      const principal = who as Principal;
      mayDecide(principal, candidate, 'reject');
      if (candidate.status === 'rejected') throw hubError('CONFLICT', `Campaign candidate ${candidateId} is rejected already`);
      const rejectedAt = now() * 1000;
      const members = candidate.members.map(memberRef);
      const rejection = { candidateId, rejectedAt, rejectedBy: actorName(principal), organizationId: principal.organizationId, members, ...(request.reason !== undefined ? { reason: request.reason } : {}) };
      await deps.store.recordRejection(rejection);
      await deps.tenancy.audit.append({ actor: actorName(principal), action: 'campaign-candidate.reject', entityType: 'campaign-candidate', entityId: candidateId, before: null, after: { members, ...(request.reason !== undefined ? { reason: request.reason } : {}) } });
      return { candidate: candidateId, members, rejectedAt };
    },
  };
}

/** Values a version's feed entries give never change: each list reads only those of new members. */
const REMEMBERED_VALUES = 500_000;

function withRememberedValues(store: CampaignStore): CampaignStore {
  const known = new Map<string, { readonly kind: string; readonly value: string }>();
  return {
    graphRows: (since, now) => store.graphRows(since, now),
    keysAddedAfter: (marks, since) => store.keysAddedAfter(marks, since),
    headsHolding: (keys, since, perKey) => store.headsHolding(keys, since, perKey),
    stillActive: (heads) => store.stillActive(heads),
    campaignsOf: (readable, indicators) => store.campaignsOf(readable, indicators),
    rejections: () => store.rejections(),
    recordRejection: (rejection) => store.recordRejection(rejection),
    async valuesOf(heads) {
      const missing = heads.filter((h) => !known.has(`${h.collectionId}/${h.dateAdded}`));
      if (missing.length > 0) {
        const found = await store.valuesOf(missing);
        if (known.size + missing.length > REMEMBERED_VALUES) known.clear();
        // A version without saved entries is asked again next time (its entries may be saved later).
        for (const [ref, value] of found) known.set(ref, value);
      }
      const values = new Map<string, { readonly kind: string; readonly value: string }>();
      for (const h of heads) {
        const value = known.get(`${h.collectionId}/${h.dateAdded}`);
        if (value !== undefined) values.set(`${h.collectionId}/${h.dateAdded}`, value);
      }
      return values;
    },
  };
}

/** A page's end as `next`: its last candidate's last activity and id (opaque to callers). */
function cursorOf(c: ComputedCandidate): string {
  return Buffer.from(`${c.lastAdded} ${c.id}`, 'utf8').toString('base64url');
}

function cursorPlace(cursor: string): { lastAdded: number; id: string } {
  const [lastAdded, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(' ');
  const micros = Number(lastAdded);
  if (!Number.isSafeInteger(micros) || id === undefined || !id.startsWith('candidate--')) throw hubError('BAD_REQUEST', { description: 'after: not a cursor this list gave (its next)', problems: [{ path: 'after', message: 'not a cursor this list gave' }] });
  return { lastAdded: micros, id };
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

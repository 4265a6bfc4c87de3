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
import { computeCandidates, memberRef, type CandidateStatus, type ComputedCandidate } from './candidate-listing';
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
}

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
  list(who: Principal | undefined, query?: CandidateQuery): Promise<ComputedCandidate[]>;
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

export function createCampaignCandidateService(deps: CampaignCandidateDeps): CampaignCandidateService {
  const thresholds = { ...DEFAULT_CANDIDATE_THRESHOLDS, ...deps.thresholds };
  const now = deps.now ?? Date.now;
  const secret = () => deps.secrets.getOrCreate(SECRET_NAME, () => randomSecret());
  const listing = { collections: deps.collections, store: withRememberedValues(deps.store), thresholds, secret };

  async function candidatesOf(who: Principal | undefined): Promise<ComputedCandidate[]> {
    if (who === undefined) throw accessDenied('anonymous', 'campaign candidates');
    await deps.catchUp();
    return computeCandidates(listing, await deps.policy.current(), who, now() * 1000);
  }

  /** The caller's candidate, worded alike whether it does not exist or the caller cannot see it. */
  async function candidateFor(who: Principal | undefined, id: string): Promise<ComputedCandidate> {
    const found = (await candidatesOf(who)).find((c) => c.id === id);
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
      const status = query.status ?? 'open';
      const all = await candidatesOf(who);
      if (status === 'all') return all;
      if (status === 'open') return all.filter((c) => c.status === 'open' || (c.status === 'in-campaign' && (c.campaign?.newMembers.length ?? 0) > 0));
      return all.filter((c) => c.status === status);
    },

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
    sharedKeys: (readable, since, now) => store.sharedKeys(readable, since, now),
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

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

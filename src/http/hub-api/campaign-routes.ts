import { hubError } from '../../domain/errors';
import { isStixId } from '../../domain/ids';
import { formatMicros } from '../../domain/timestamps';
import { MAX_CANDIDATE_LIMIT, type CampaignCandidateService, type CandidateQuery, type ComputedCandidate, type ConfirmOutcome, type ConfirmRequest } from '../../services/analysis/campaigns/campaign-candidate-service';
import { definitionParsers } from '../../validation/schema-definitions';
import { readSchema } from '../../validation/schema-files';
import type { JsonRoute } from '../json-api/json-api-router';
import { oneText, param } from './hub-api-requests';

/**
 * Campaign candidates (issue 15 §2): GET /api/campaign-candidates (the caller's, computed over what
 * it may read), POST /api/campaign-candidates/{id}/confirm and /reject. Bodies are checked against
 * schemas/campaign-confirm.schema.json.
 */

export interface CampaignApiServices {
  /** Absent where the hub runs without analysis: the routes then answer 404. */
  readonly campaigns?: CampaignCandidateService;
}

const parser = definitionParsers(readSchema('campaign-confirm.schema.json'));
const parseConfirm = parser<ConfirmRequest>('confirm');
const parseReject = parser<{ reason?: string }>('reject');

const STATUSES = ['open', 'rejected', 'in-campaign', 'all'] as const;

function queryOf(query: Readonly<Record<string, unknown>>): CandidateQuery {
  const status = oneText(query, 'status', { nonEmpty: true });
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw hubError('BAD_REQUEST', { description: `status: must be one of ${STATUSES.join(', ')}`, problems: [{ path: 'status', message: `must be one of ${STATUSES.join(', ')}` }] });
  const indicator = oneText(query, 'indicator', { nonEmpty: true });
  if (indicator !== undefined && !isStixId(indicator, 'indicator')) throw hubError('BAD_REQUEST', { description: 'indicator: must be an indicator id (indicator--<uuid>)', problems: [{ path: 'indicator', message: 'must be an indicator id (indicator--<uuid>)' }] });
  const limitText = oneText(query, 'limit', { nonEmpty: true });
  const limit = limitText !== undefined ? Number(limitText) : undefined;
  if (limit !== undefined && (!/^[0-9]+$/.test(limitText ?? '') || limit < 1 || limit > MAX_CANDIDATE_LIMIT)) throw hubError('BAD_REQUEST', { description: `limit: must be a whole number from 1 to ${MAX_CANDIDATE_LIMIT}`, problems: [{ path: 'limit', message: `must be a whole number from 1 to ${MAX_CANDIDATE_LIMIT}` }] });
  const after = oneText(query, 'after', { nonEmpty: true });
  return {
    ...(status !== undefined ? { status: status as CandidateQuery['status'] & string } : {}),
    ...(indicator !== undefined ? { indicator } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

export function candidateJson(c: ComputedCandidate) {
  return {
    id: c.id,
    status: c.status,
    ...(c.campaign !== undefined ? { campaign: { id: c.campaign.id, name: c.campaign.name, new_members: c.campaign.newMembers } } : {}),
    ...(c.rejection !== undefined ? { rejection: { rejected_at: formatMicros(c.rejection.rejectedAt), ...(c.rejection.reason !== undefined ? { reason: c.rejection.reason } : {}) } } : {}),
    sizes: c.sizes,
    first_added: formatMicros(c.firstAdded),
    last_added: formatMicros(c.lastAdded),
    shared: c.shared,
    members: c.members.map((m) => ({
      collection: m.collectionId,
      id: m.id,
      ...(m.kind !== undefined ? { kind: m.kind } : {}),
      ...(m.value !== undefined ? { value: m.value } : {}),
      tlp: m.tlp,
      ...(m.provider !== undefined ? { provider: m.provider } : {}),
      first_added: formatMicros(m.firstAdded),
    })),
  };
}

export function confirmJson(o: ConfirmOutcome) {
  return { candidate: o.candidate, campaign: o.campaign, created_by_ref: o.createdBy, marking: o.marking, written: o.written };
}

const service = (s: CampaignApiServices): CampaignCandidateService => {
  if (s.campaigns === undefined) throw hubError('NOT_FOUND', 'Campaign candidates are answered by a running hub (GET /api/campaign-candidates)');
  return s.campaigns;
};

/** The routes, spread into HUB_API_ROUTES. */
export function campaignRoutes<S extends CampaignApiServices>(): JsonRoute<S>[] {
  return [
    { method: 'get', path: '/campaign-candidates', handle: async (s, who, req) => {
      const page = await service(s).page(who, queryOf(req.query));
      return { status: 200, body: { candidates: page.candidates.map(candidateJson), ...(page.next !== undefined ? { next: page.next } : {}) } };
    } },
    { method: 'post', path: '/campaign-candidates/:id/confirm', handle: async (s, who, req) => ({ status: 200, body: confirmJson(await service(s).confirm(who, param(req, 'id'), parseConfirm(req.body ?? {}))) }) },
    { method: 'post', path: '/campaign-candidates/:id/reject', handle: async (s, who, req) => {
      const outcome = await service(s).reject(who, param(req, 'id'), parseReject(req.body ?? {}));
      return { status: 200, body: { candidate: outcome.candidate, status: 'rejected', rejected_at: formatMicros(outcome.rejectedAt), members: outcome.members } };
    } },
  ];
}

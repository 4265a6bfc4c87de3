import type { IndicatorHistory, IndicatorLifecycleService, IndicatorListing, IndicatorStateView, PurgeOutcome } from '../../services/indicator-lifecycle-service';
import type { SubmissionCheck, SubmissionResult, SubmissionService } from '../../services/submission-service';
import type { JsonRoute } from '../json-api/json-api-router';
import { param, parseHubBody, parseIndicatorListQuery } from './hub-api-requests';
import { webhookRoutes, type WebhookApiServices } from './webhook-routes';
import { forwardRoutes, type ForwardApiServices } from './forward-routes';
import { changeRoutes, type ChangeApiServices } from './change-routes';
import { matchRoutes, type MatchApiServices } from './match-route';
import { campaignRoutes, type CampaignApiServices } from './campaign-routes';
import { collectionListRoutes, type CollectionListApiServices } from './collection-list-route';
import { collectionFiguresRoutes, type CollectionFiguresApiServices } from './collection-figures-route';
import { pivotRoutes, type PivotApiServices } from './pivot-route';
import { figuresJson, sightingRoutes, type SightingApiServices } from './sighting-routes';
import type { IndicatorFigures } from '../../services/sightings/sighting-figures';
import type { FiguresTarget } from '../../services/sightings/sighting-service';
import type { Principal } from '../../domain/principal';

/** The services behind the hub API (providers' and consumers' own API, next to TAXII). */
export interface HubApiServices extends WebhookApiServices, ForwardApiServices, ChangeApiServices, MatchApiServices, PivotApiServices, SightingApiServices, CampaignApiServices, CollectionListApiServices, CollectionFiguresApiServices {
  readonly submissions: SubmissionService;
  readonly indicators: IndicatorLifecycleService;
}

export type HubApiRoute = JsonRoute<HubApiServices>;

/** A submission's answer: every indicator with its outcome, in the order sent. */
export function submissionJson(result: SubmissionResult) {
  return { collection: result.collectionId, summary: result.summary, indicators: result.items };
}

function stateJson(view: IndicatorStateView) {
  return { id: view.id, collection: view.collectionId, provider: view.provider, state: view.state, ...(view.reason !== undefined ? { reason: view.reason } : {}), version: view.version };
}

function listingJson(listing: IndicatorListing, figures: ReadonlyMap<string, IndicatorFigures>) {
  return {
    indicators: listing.indicators.map((i) => ({
      ...stateJson(i),
      ...(i.name !== undefined ? { name: i.name } : {}),
      ...(i.kind !== undefined ? { kind: i.kind } : {}),
      ...(i.validUntil !== undefined ? { valid_until: i.validUntil } : {}),
      ...(i.tlp !== undefined ? { tlp: i.tlp } : {}),
      date_added: i.dateAdded,
      ...sightingsJson(figures.get(i.id)),
    })),
    more: listing.nextAfter !== undefined,
    ...(listing.nextAfter !== undefined ? { next_after: String(listing.nextAfter) } : {}),
  };
}

function historyJson(history: IndicatorHistory, figures: ReadonlyMap<string, IndicatorFigures>) {
  return {
    ...stateJson(history),
    ...sightingsJson(figures.get(history.id)),
    versions: history.versions.map((v) => ({
      version: v.version,
      date_added: v.dateAdded,
      state: v.state,
      ...(v.reason !== undefined ? { reason: v.reason } : {}),
      ...(v.writtenBy !== undefined ? { written_by: v.writtenBy } : {}),
    })),
    transitions: history.transitions,
  };
}

const sightingsJson = (f: IndicatorFigures | undefined) => (f !== undefined ? { sightings: figuresJson(f) } : {});

/** A submission's check: every indicator accepted (canonical value, warnings) or rejected, nothing stored. */
function checkJson(check: SubmissionCheck) {
  return {
    collection: check.collectionId,
    summary: check.summary,
    indicators: check.items.map((item) => {
      if (item.outcome === 'rejected') return item;
      const { duplicateOf, ...rest } = item;
      return { ...rest, ...(duplicateOf !== undefined ? { duplicate_of: duplicateOf } : {}) };
    }),
  };
}

/** An answer about indicators with each one's sightings figures (issue 14 §3), as the caller may read them. */
async function withFigures<T, B>(s: HubApiServices, who: Principal, answer: T, shown: (a: T) => readonly FiguresTarget[], json: (a: T, f: ReadonlyMap<string, IndicatorFigures>) => B): Promise<B> {
  const targets = shown(answer);
  return json(answer, targets.length === 0 || s.sightings === undefined ? new Map() : await s.sightings.figuresOf(who, targets));
}

function purgeJson(outcome: PurgeOutcome) {
  return { id: outcome.id, purged_versions: outcome.versions.map((v) => ({ collection: v.collectionId, date_added: v.dateAdded })) };
}


/** One table of every hub API route: method, path, and what it does (parse -> service -> serialise). */
export const HUB_API_ROUTES: readonly HubApiRoute[] = [
  { method: 'post', path: '/submissions/check', handle: async (s, who, req) => ({ status: 200, body: checkJson(await s.submissions.check(who, req.body)) }) },
  { method: 'post', path: '/submissions', handle: async (s, who, req) => ({ status: 200, body: submissionJson(await s.submissions.submit(who, req.body)) }) },
  { method: 'get', path: '/collections/:collection/indicators', handle: async (s, who, req) => ({
    status: 200, body: await withFigures(s, who, await s.indicators.list(who, param(req, 'collection'), parseIndicatorListQuery(req.query)), (l) => l.indicators, listingJson),
  }) },
  { method: 'get', path: '/collections/:collection/indicators/:id', handle: async (s, who, req) => ({
    status: 200, body: await withFigures(s, who, await s.indicators.history(who, param(req, 'collection'), param(req, 'id')), (h) => [h], historyJson),
  }) },
  { method: 'post', path: '/collections/:collection/indicators/:id/revoke', handle: async (s, who, req) => {
    const body = parseHubBody.revoke(req.body ?? {});
    return { status: 200, body: stateJson(await s.indicators.transition(who, param(req, 'collection'), param(req, 'id'), { to: 'revoked', ...(body.reason !== undefined ? { reason: body.reason } : {}) })) };
  } },
  { method: 'post', path: '/collections/:collection/indicators/:id/benign', handle: async (s, who, req) => {
    const body = parseHubBody.benign(req.body ?? {});
    return { status: 200, body: stateJson(await s.indicators.transition(who, param(req, 'collection'), param(req, 'id'), { to: 'benign', reason: body.reason })) };
  } },
  { method: 'post', path: '/indicators/:id/purge', handle: async (s, who, req) => {
    const body = parseHubBody.purge(req.body ?? {});
    return { status: 200, body: purgeJson(await s.indicators.purge(who, param(req, 'id'), body.reason)) };
  } },
  ...webhookRoutes<HubApiServices>(),
  ...forwardRoutes<HubApiServices>(),
  ...changeRoutes<HubApiServices>(),
  ...matchRoutes<HubApiServices>(),
  ...pivotRoutes<HubApiServices>(),
  ...sightingRoutes<HubApiServices>(),
  ...campaignRoutes<HubApiServices>(),
  ...collectionListRoutes<HubApiServices>(),
  ...collectionFiguresRoutes<HubApiServices>(),
];

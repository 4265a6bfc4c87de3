import { hubError } from '../../domain/errors';
import { formatMicros } from '../../domain/timestamps';
import type { FalsePositiveRequest, ReportView, SightingService, SightingsRequest } from '../../services/sightings/sighting-service';
import type { IndicatorFigures } from '../../services/sightings/sighting-figures';
import type { WrittenReport } from '../../services/sightings/report-writer';
import { definitionParsers } from '../../validation/schema-definitions';
import { readSchema } from '../../validation/schema-files';
import type { JsonRoute } from '../json-api/json-api-router';
import { param } from './hub-api-requests';

/**
 * The hub API's report routes (issue 14 §2-3): sightings and false positives about indicators, and the
 * figures they add up to. Bodies follow schemas/sightings-api.schema.json; docs/sightings.md explains them.
 */

export interface SightingApiServices {
  /** Absent only where a hub is composed without reports (then these routes answer 404 and indicators carry no figures). */
  readonly sightings?: SightingService;
}

function service(s: SightingApiServices): SightingService {
  if (!s.sightings) throw hubError('NOT_FOUND', 'This hub takes no sighting reports');
  return s.sightings;
}

const parser = definitionParsers(readSchema('sightings-api.schema.json'));
const parseSightings = parser<SightingsRequest>('sightings');
const parseFalsePositive = parser<FalsePositiveRequest>('falsePositive');

const seen = (micros: number | undefined) => (micros === undefined ? null : formatMicros(micros));

/** An indicator's figures as the hub API writes them (`sightings` of an indicator). */
export function figuresJson(f: IndicatorFigures) {
  return {
    count: f.count,
    reports: f.reports,
    organizations: f.organizations,
    first_seen: seen(f.firstSeen),
    last_seen: seen(f.lastSeen),
    false_positives: f.falsePositives,
    ...(f.byOrganization !== undefined
      ? {
          by_organization: f.byOrganization.map((o) => ({
            organization: o.organization,
            count: o.count,
            reports: o.reports,
            first_seen: seen(o.firstSeen),
            last_seen: seen(o.lastSeen),
            false_positives: o.falsePositives,
          })),
        }
      : {}),
  };
}

function reportJson(report: WrittenReport) {
  return { id: report.id, indicator: report.indicatorId, marking: report.audience.tlp, ...(report.audience.tlp === 'red' ? { recipients: report.audience.recipients } : {}) };
}

export function sightingRoutes<S extends SightingApiServices>(): JsonRoute<S>[] {
  return [
    { method: 'post', path: '/collections/:collection/sightings', handle: async (s, who, req) => {
      const reported = await service(s).report(who, param(req, 'collection'), parseSightings(req.body ?? {}));
      return { status: 201, body: { collection: reported.collectionId, sightings: reported.sightings.map((r) => ({ index: r.index, ...reportJson(r) })) } };
    } },
    { method: 'post', path: '/collections/:collection/indicators/:id/false-positive', handle: async (s, who, req) => {
      const reported = await service(s).falsePositive(who, param(req, 'collection'), param(req, 'id'), parseFalsePositive(req.body ?? {}));
      return { status: 201, body: { collection: reported.collectionId, ...reportJson(reported) } };
    } },
    { method: 'get', path: '/collections/:collection/indicators/:id/sightings', handle: async (s, who, req) => {
      const { collectionId, figures } = await service(s).figures(who, param(req, 'collection'), param(req, 'id'));
      return { status: 200, body: { id: param(req, 'id'), collection: collectionId, sightings: figuresJson(figures) } };
    } },
    { method: 'get', path: '/collections/:collection/indicators/:id/reports', handle: async (s, who, req) => {
      const { collectionId, reports } = await service(s).reports(who, param(req, 'collection'), param(req, 'id'));
      return { status: 200, body: { id: param(req, 'id'), collection: collectionId, reports: reports.map(reportViewJson) } };
    } },
  ];
}

/** One report in an indicator's list of reports. */
function reportViewJson(r: ReportView) {
  return {
    id: r.id,
    type: r.type,
    date_added: formatMicros(r.dateAdded),
    marking: r.marking,
    ...(r.organization !== undefined ? { organization: r.organization } : {}),
    ...(r.count !== undefined ? { count: r.count } : {}),
    ...(r.firstSeen !== undefined ? { first_seen: r.firstSeen } : {}),
    ...(r.lastSeen !== undefined ? { last_seen: r.lastSeen } : {}),
    ...(r.explanation !== undefined ? { explanation: r.explanation } : {}),
  };
}

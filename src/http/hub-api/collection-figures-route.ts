import { hubError } from '../../domain/errors';
import { formatMicros } from '../../domain/timestamps';
import type { CollectionFigures, CollectionFiguresService } from '../../services/collection-directory/collection-figures';
import { indicatorsOnly, type OrganizationPolls } from '../../services/poll-marks/consumer-polls';
import type { JsonRoute } from '../json-api/json-api-router';
import { param } from './hub-api-requests';

/**
 * GET /api/collections/{collection}/figures: a collection's objects per provider and TLP and its last
 * activity, counted over what the caller may read only (see CollectionFiguresService); `objects`
 * counts every STIX object (each in its latest version), `indicators` the indicators among them.
 * Where polls are recorded: `own_polls` (the caller's organization) or, for operators, `consumer_polls`.
 */
export interface CollectionFiguresApiServices {
  /** Absent where a hub is composed without it: the route then answers 404. */
  readonly collectionFigures?: CollectionFiguresService;
}

function pollsJson(p: OrganizationPolls) {
  const last = p.lastPoll;
  return {
    organization: p.organization,
    ...(last !== undefined
      ? { last_poll: { at: new Date(last.at).toISOString(), protocol: last.protocol, user: last.username, ...(last.apiKeyId !== undefined ? { api_key: last.apiKeyId } : {}) } }
      : {}),
    ...(p.reached !== undefined && p.reached.position > 0 ? { reached: formatMicros(p.reached.position) } : {}),
    ...(p.lag !== undefined
      ? { lag: { of: p.reached !== undefined && indicatorsOnly(p.reached.protocol) ? 'indicators' : 'objects', ...(p.reached?.types !== undefined ? { types: p.reached.types } : {}), objects: p.lag.objects, versions: p.lag.versions, ...(p.lag.more ? { more: true } : {}), ...(p.lag.oldestAdded !== undefined ? { oldest_waiting: formatMicros(p.lag.oldestAdded) } : {}) } }
      : {}),
  };
}

function figuresJson(f: CollectionFigures) {
  const c = f.collection;
  const last = f.figures.reduce((max, row) => Math.max(max, row.lastAdded), 0);
  return {
    id: c.id,
    api_root: c.apiRootId,
    ...(c.alias !== null ? { alias: c.alias } : {}),
    title: c.title,
    default_marking: c.defaultMarking,
    can_read: f.canRead,
    can_write: f.canWrite,
    objects: f.figures.reduce((sum, row) => sum + row.objects, 0),
    indicators: f.figures.reduce((sum, row) => sum + row.indicators, 0),
    ...(last > 0 ? { last_added: formatMicros(last) } : {}),
    by_provider_and_tlp: f.figures.map((row) => ({ ...(row.provider !== undefined ? { provider: row.provider } : {}), tlp: row.tlp, objects: row.objects, indicators: row.indicators, last_added: formatMicros(row.lastAdded) })),
    ...(f.entitled !== undefined ? { owner: c.owner.kind === 'organization' ? { organization: c.owner.id } : { trust_group: c.owner.id }, entitled: f.entitled } : {}),
    ...(f.ownPolls !== undefined ? { own_polls: pollsJson(f.ownPolls) } : {}),
    ...(f.consumerPolls !== undefined ? { consumer_polls: f.consumerPolls.map(pollsJson) } : {}),
  };
}

export function collectionFiguresRoutes<S extends CollectionFiguresApiServices>(): JsonRoute<S>[] {
  return [
    { method: 'get', path: '/collections/:collection/figures', handle: async (s, who, req) => {
      if (s.collectionFigures === undefined) throw hubError('NOT_FOUND', 'This hub gives no collection figures');
      return { status: 200, body: figuresJson(await s.collectionFigures.figures(who, param(req, 'collection'))) };
    } },
  ];
}

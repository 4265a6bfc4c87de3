import { hubError } from '../../domain/errors';
import type { PivotAnswer, PivotNodeView, PivotService } from '../../services/analysis/pivot/pivot-service';
import { pivotQueryOf } from '../../services/analysis/pivot/pivot-query';
import type { JsonRoute } from '../json-api/json-api-router';
import { figuresJson } from './sighting-routes';

/**
 * GET /api/pivot (issue 15 §1): everything the caller may read that relates to a value or an
 * object, as a graph (or a STIX grouping with format=stix). Parse the query string → PivotService
 * → nodes and edges (docs/analysis.md, "Pivot").
 */

export interface PivotApiServices {
  /** Absent where the hub runs without analysis: the route then answers 404. */
  readonly pivot?: Pick<PivotService, 'pivot'>;
}

function nodeJson(n: PivotNodeView) {
  const [first] = n.values;
  return {
    ref: n.ref,
    type: n.type,
    ...(n.id !== undefined ? { id: n.id } : {}),
    ...(n.collection !== undefined ? { collection: n.collection } : {}),
    ...(first !== undefined ? { kind: first.kind, value: first.value } : {}),
    ...(n.values.length > 1 ? { values: n.values.map((v) => ({ kind: v.kind, value: v.value })) } : {}),
    ...(n.name !== undefined ? { name: n.name } : {}),
    ...(n.tlp !== undefined ? { tlp: n.tlp } : {}),
    ...(n.state !== undefined ? { state: n.state } : {}),
    ...(n.firstSeen !== undefined ? { first_seen: n.firstSeen } : {}),
    ...(n.lastSeen !== undefined ? { last_seen: n.lastSeen } : {}),
    ...(n.provider !== undefined ? { provider: n.provider } : {}),
    hop: n.hop,
    ...(n.sightings !== undefined ? { sightings: figuresJson(n.sightings) } : {}),
  };
}

/** The graph as the hub API writes it. */
export function pivotJson(answer: PivotAnswer) {
  return {
    depth: answer.depth,
    start: answer.start,
    nodes: answer.nodes.map(nodeJson),
    edges: answer.edges.map((e) => ({ from: e.from, to: e.to, reason: e.reason, via: e.via })),
    collections: answer.collections,
    truncated: answer.truncatedAtHop !== undefined,
    ...(answer.truncatedAtHop !== undefined ? { truncated_at_hop: answer.truncatedAtHop } : {}),
  };
}

/** The route, spread into HUB_API_ROUTES. */
export function pivotRoutes<S extends PivotApiServices>(): JsonRoute<S>[] {
  return [
    {
      method: 'get',
      path: '/pivot',
      handle: async (s, who, req) => {
        if (s.pivot === undefined) throw hubError('NOT_FOUND', 'This hub runs no analysis');
        const query = pivotQueryOf(req.query as Record<string, unknown>);
        const answer = await s.pivot.pivot(who, query);
        return { status: 200, body: answer.bundle !== undefined ? answer.bundle : pivotJson(answer) };
      },
    },
  ];
}

import { hubError } from '../../domain/errors';
import type { MatchService } from '../../services/matching/match-service';
import { matchRequestOf, type MatchBody } from '../../services/matching/match-request';
import { definitionParsers } from '../../validation/schema-definitions';
import { readSchema } from '../../validation/schema-files';
import type { JsonRoute } from '../json-api/json-api-router';

/**
 * POST /api/match (issue 14 §4): values or log lines looked up against the caller's readable, active
 * indicators, for SOAR and SIEM enrichment. Parse (schemas/match-request.schema.json) → MatchService
 * → every value or line in request order with its matches.
 */

export interface MatchApiServices {
  /** Absent where the hub runs in-process for the local CLI: the route then answers 404. */
  readonly matches?: Pick<MatchService, 'match'>;
}

const parseMatch = definitionParsers(readSchema('match-request.schema.json'))<MatchBody>('match');

/** The route, spread into HUB_API_ROUTES. */
export function matchRoutes<S extends MatchApiServices>(): JsonRoute<S>[] {
  return [
    {
      method: 'post',
      path: '/match',
      handle: async (s, who, req) => {
        if (s.matches === undefined) throw hubError('NOT_FOUND', 'Matching runs on a running hub (POST /api/match), or locally with taxii-hub match');
        const request = matchRequestOf(parseMatch(req.body));
        return { status: 200, body: { results: await s.matches.match(who, request) } };
      },
    },
  ];
}

import { hubError, type FieldProblem } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import { collectionNamedIfAny } from '../../services/collection-names';
import type { PolicyService } from '../../services/policy-service';
import { formatMicros } from '../../domain/timestamps';
import type { ChangeFeedService, ChangeRead } from '../../services/delivery/change-feed/change-feed-service';
import { MAX_CHANGE_READ } from '../../services/delivery/change-feed/change-feed-reader';
import type { PollRecorder } from '../../services/poll-marks/poll-recorder';
import type { JsonRoute } from '../json-api/json-api-router';
import { param } from './hub-api-requests';

/**
 * GET /api/collections/{collection}/changes (issue 14): the reader's change feed of a collection as
 * pages of JSON, for clients that poll rather than keep a stream open (`taxii-hub match` keeps its
 * mirror with it: TAXII 2.1 cannot say that an object was deleted or that the reader lost access).
 * The change-feed service decides access exactly as a TAXII read does.
 */

export interface ChangeApiServices {
  /** Absent where the hub runs in-process for the local CLI: the route then answers 404. */
  readonly changeFeed?: Pick<ChangeFeedService, 'read' | 'currentCursor' | 'decodeCursor'>;
  /** Told of every answered read, at the position of the cursor it returned (issue 16: last poll and lag). */
  readonly polls?: Pick<PollRecorder, 'polled'>;
  /** A collection's id from its id or alias as `who` may name it (undefined when neither names one). */
  readonly collectionIdOf?: (idOrAlias: string, who: Principal) => Promise<string | undefined>;
}

const STIX_TYPE = /^[a-z0-9][a-z0-9-]{0,249}$/;

export interface ChangesQuery {
  readonly cursor?: string;
  readonly from: 'beginning' | 'now';
  readonly limit: number;
  readonly types?: readonly string[];
}

/** cursor (an earlier answer's), from (beginning or now, without a cursor), limit (1 to 1000, default 1000), types (comma-separated STIX types). */
export function parseChangesQuery(query: Readonly<Record<string, unknown>>): ChangesQuery {
  const problems: FieldProblem[] = [];
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') {
      problems.push({ path: name, message: 'must be given once, not empty' });
      return undefined;
    }
    return value;
  };
  const cursor = text('cursor');
  const from = text('from');
  if (from !== undefined && from !== 'beginning' && from !== 'now') problems.push({ path: 'from', message: 'must be beginning or now' });
  if (from !== undefined && cursor !== undefined) problems.push({ path: 'from', message: 'a read continues after its cursor or starts from a point, not both' });
  const limitText = text('limit');
  const limit = limitText === undefined ? MAX_CHANGE_READ : /^\d{1,7}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= MAX_CHANGE_READ)) problems.push({ path: 'limit', message: `must be an integer from 1 to ${MAX_CHANGE_READ}` });
  const typesText = text('types');
  const types = typesText?.split(',').map((t) => t.trim());
  const badType = types?.find((t) => !STIX_TYPE.test(t));
  if (badType !== undefined) problems.push({ path: 'types', message: `${JSON.stringify(badType.slice(0, 60))} is not a STIX type name` });
  if (problems.length > 0) throw hubError('BAD_REQUEST', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
  return { ...(cursor !== undefined ? { cursor } : {}), from: from === 'now' ? 'now' : 'beginning', limit, ...(types !== undefined ? { types } : {}) };
}

export function changesJson(read: ChangeRead) {
  return {
    events: read.events.map((e) => ({
      position: e.position,
      operation: e.operation,
      object_id: e.objectId,
      type: e.type,
      version: formatMicros(e.version),
      ...(e.json !== undefined ? { object: JSON.parse(e.json) as unknown } : {}),
    })),
    cursor: read.cursor,
    more: read.more,
  };
}

/** The routes, spread into HUB_API_ROUTES. */
export function changeRoutes<S extends ChangeApiServices>(): JsonRoute<S>[] {
  return [
    { method: 'get', path: '/collections/:collection/changes', handle: async (s, who, req) => {
      const named = param(req, 'collection');
      if (!s.changeFeed) throw hubError('NOT_FOUND', 'The change feed is read from a running hub (over HTTP)');
      const query = parseChangesQuery(req.query);
      const collectionId = (await s.collectionIdOf?.(named, who)) ?? named.toLowerCase();
      if (query.cursor === undefined && query.from === 'now') {
        return { status: 200, body: { events: [], cursor: await s.changeFeed.currentCursor(who, collectionId), more: false } };
      }
      const read = await s.changeFeed.read(who, collectionId, query.cursor, query.limit, query.types !== undefined ? { types: query.types } : {});
      const reached = s.changeFeed.decodeCursor(collectionId, read.cursor);
      if (who !== undefined && reached.ok) s.polls?.polled(who, collectionId, 'changes', reached.position, query.types);
      return { status: 200, body: changesJson(read) };
    } },
  ];
}

/** Resolves an alias through the compiled policy, as TAXII does (services/collection-names.ts; the id wins). */
export function collectionIdResolver(policy: Pick<PolicyService, 'current'>) {
  return async (idOrAlias: string, who: Principal): Promise<string | undefined> => collectionNamedIfAny(await policy.current(), idOrAlias, { who })?.collection.id;
}

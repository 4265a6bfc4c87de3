import { Router, type RequestHandler, type Response } from 'express';
import { requirePrincipal } from '../../auth/principal-request';
import { hubError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import type { StreamBroker, StreamRequest } from '../../services/streams/stream-broker';
import type { StreamFilters, StreamSink, StreamStart } from '../../services/streams/stream-messages';
import { CHANGE_OPERATIONS, type ChangeOperation } from '../../storage/change-feed-store';
import { sseFrame, sseOpening } from './sse-frames';

/**
 * GET /api/collections/{collection}/stream: the collection's change feed as server-sent events
 * (issue 13 §4), for the caller's audience. Parse → broker → a response that stays open; every
 * refusal (caps, access, a bad resume point or filter) is answered in the hub API's JSON error form
 * before the stream starts.
 */

/** The stream's path under HUB_API_PREFIX (the hub API's other paths live in hub-api-routes.ts). */
export const STREAM_PATH = '/collections/:collection/stream';

const STIX_TYPE = /^[a-z0-9][a-z0-9-]{0,249}$/;

function single(query: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw hubError('BAD_REQUEST', `Give ${name} once`);
  return value;
}

function list(query: Readonly<Record<string, unknown>>, name: string): string[] | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw hubError('BAD_REQUEST', `${name} is a comma-separated list without empty items`);
  return items;
}

/**
 * The stream a request asks for. Where it starts: the Last-Event-ID header (what EventSource sends
 * when it reconnects), else ?last_event_id= or ?since= (for clients that cannot set headers), else
 * ?from=beginning, else the collection's current end.
 */
export function parseStreamRequest(reader: Principal, collection: string, lastEventIdHeader: string | undefined, query: Readonly<Record<string, unknown>>): StreamRequest {
  const lastEventId = single(query, 'last_event_id');
  const since = single(query, 'since');
  const from = single(query, 'from');
  if (lastEventId !== undefined && since !== undefined) throw hubError('BAD_REQUEST', 'Give last_event_id or since, not both');
  if (from !== undefined && from !== 'beginning' && from !== 'now') throw hubError('BAD_REQUEST', `from is beginning or now, not ${JSON.stringify(from.slice(0, 40))}`);
  const resumeAt = lastEventIdHeader !== undefined && lastEventIdHeader !== '' ? lastEventIdHeader : (lastEventId ?? since);
  if (resumeAt !== undefined && from !== undefined) throw hubError('BAD_REQUEST', 'A stream resumes after its last event id or starts from a point, not both');
  const start: StreamStart = resumeAt !== undefined ? { kind: 'after', lastEventId: resumeAt } : from === 'beginning' ? { kind: 'beginning' } : { kind: 'now' };

  const types = list(query, 'types');
  const badType = types?.find((type) => !STIX_TYPE.test(type));
  if (badType !== undefined) throw hubError('BAD_REQUEST', `types: ${JSON.stringify(badType.slice(0, 60))} is not a STIX type name`);
  const operations = list(query, 'operations');
  const badOperation = operations?.find((operation) => !(CHANGE_OPERATIONS as readonly string[]).includes(operation));
  if (badOperation !== undefined) throw hubError('BAD_REQUEST', `operations: ${JSON.stringify(badOperation.slice(0, 60))} is none of ${CHANGE_OPERATIONS.join(', ')}`);
  const filters: StreamFilters = { ...(types !== undefined ? { types } : {}), ...(operations !== undefined ? { operations: operations as ChangeOperation[] } : {}) };
  return { reader, collectionId: collection.toLowerCase(), start, filters };
}

/** The response as the broker writes to it. */
function sseSink(res: Response): StreamSink {
  const open = () => !res.writableEnded && !res.destroyed;
  return {
    send(message) {
      if (open()) res.write(sseFrame(message));
      return res.writableLength;
    },
    drained() {
      if (!open() || res.writableLength === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    },
    end() {
      if (open()) res.end();
    },
  };
}

export function createStreamRouter(deps: { readonly broker: StreamBroker; readonly authenticate: RequestHandler }): Router {
  const router = Router();
  router.get(STREAM_PATH, deps.authenticate, async (req, res) => {
    const lastEventId = req.headers['last-event-id'];
    const request = parseStreamRequest(requirePrincipal(req), String(req.params.collection), typeof lastEventId === 'string' ? lastEventId : undefined, req.query as Record<string, unknown>);
    if (req.accepts('text/event-stream') === false) throw hubError('NOT_ACCEPTABLE', 'This resource is a stream of server-sent events: accept text/event-stream');
    const opened = await deps.broker.open(request);
    if (res.destroyed || req.method === 'HEAD') {
      opened.cancel();
      if (!res.destroyed) res.status(200).type('text/event-stream').end();
      return;
    }
    res.on('close', () => opened.cancel());
    res.on('error', () => opened.cancel());
    // Nothing between the hub and the client may hold events back: no caching, no proxy buffering
    // (nginx honours X-Accel-Buffering), and the app compresses nothing.
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    const startsAt = request.start.kind === 'after' ? 'after the given event' : request.start.kind === 'beginning' ? 'from the beginning' : 'from now (send Last-Event-ID or ?from=beginning for earlier changes)';
    res.write(sseOpening(deps.broker.settings.retryMs, `changes of collection ${request.collectionId} ${startsAt}`));
    opened.attach(sseSink(res));
  });
  router.all(STREAM_PATH, deps.authenticate, () => {
    throw hubError('METHOD_NOT_ALLOWED', { description: 'use GET', allow: ['GET'] });
  });
  return router;
}

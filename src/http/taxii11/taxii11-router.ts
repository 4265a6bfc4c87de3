import { randomUUID } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { hubError, isHubError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import { messageIdFor, parseTaxiiRequest, type TaxiiRequest, type TaxiiVersion } from '../../domain/taxii11';
import { toHubError } from '../errors/error-middleware';
import { TAXII11_SERVICES, type Taxii11ServiceName } from './paths';
import { requestProtocolBinding, serviceAddresses, type ServiceAddresses } from './service-addresses';
import { sendStatusMessage } from './status-responses';
import { announcedVersion, checkTaxii11Headers, sendTaxii11 } from './taxii11-headers';
import { parseXml } from './xml/safe-xml-parser';

/**
 * TAXII 1.1 over HTTP: one POST endpoint per service. A request goes: headers checked (cheap), the
 * caller authenticated (before a byte of the body is read), the body read raw up to the limit, parsed
 * by the safe parser (no DOCTYPE, no entities), read as a TAXII message by namespace URI and local
 * name, handed to the handler of its kind on the service it was sent to. Every failure is a
 * Status_Message in HTTP 200 (HTTP binding §4) naming the request's message_id when it was readable.
 */

export type RequestKind = Exclude<TaxiiRequest['kind'], 'status'>;

export interface Taxii11Exchange<K extends RequestKind = RequestKind> {
  readonly who: Principal;
  readonly version: TaxiiVersion;
  readonly message: Extract<TaxiiRequest, { kind: K }>;
  readonly addresses: ServiceAddresses;
  /** A fresh message_id for the answer. */
  readonly messageId: string;
}

/** Renders the answer (XML text) to one kind of request; throws HubErrors for Status_Messages. */
export type Taxii11Handler<K extends RequestKind> = (exchange: Taxii11Exchange<K>) => Promise<string>;

export type Taxii11Handlers = { readonly [K in RequestKind]: Taxii11Handler<K> };

export interface Taxii11RouterDeps {
  readonly authenticate: RequestHandler;
  readonly handlers: Taxii11Handlers;
  /** HUB_PUBLIC_URL: the base of every advertised address. */
  readonly publicUrl: string | undefined;
  /** Largest message body, in bytes. */
  readonly bodyLimitBytes: number;
}

/** Which requests each service takes (a request sent to another service is UNSUPPORTED_MESSAGE). */
const SERVICE_KINDS: Readonly<Record<Taxii11ServiceName, readonly RequestKind[]>> = {
  discovery: ['discovery'],
  collectionManagement: ['collection-information', 'subscription-management'],
  poll: ['poll', 'poll-fulfillment'],
  inbox: ['inbox'],
};

/** Per-request state the error handler needs. */
interface Taxii11Locals {
  version: TaxiiVersion;
  inResponseTo: string;
}

function localsOf(res: Response): Taxii11Locals {
  const locals = res.locals as { taxii11?: Taxii11Locals };
  locals.taxii11 ??= { version: '1.1', inResponseTo: '0' };
  return locals.taxii11;
}

export function createTaxii11Router(deps: Taxii11RouterDeps): Router {
  const router = Router();
  const rawBody = express.raw({ type: () => true, limit: deps.bodyLimitBytes });
  // express inflates gzip, deflate and br bodies (the limit applies to the inflated bytes); a body
  // that does not inflate is the client's error, and the answer says so.
  const readBody: RequestHandler = (req, res, next) => {
    rawBody(req, res, (error?: unknown) => {
      const zlibCode = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
      if (typeof zlibCode === 'string' && zlibCode.startsWith('Z_')) {
        next(hubError('BAD_REQUEST', `The request body is not ${req.get('content-encoding') ?? ''} data, as its Content-Encoding says`));
      } else next(error);
    });
  };

  const headers: RequestHandler = (req, res, next) => {
    localsOf(res).version = announcedVersion(req);
    try {
      checkTaxii11Headers(req);
      next();
    } catch (error) {
      next(error);
    }
  };

  const requireAuthenticated: RequestHandler = (req, _res, next) => {
    next(req.user ? undefined : hubError('AUTHENTICATION_REQUIRED', 'Send HTTP Basic credentials or an API key'));
  };

  for (const [name, service] of Object.entries(TAXII11_SERVICES) as [Taxii11ServiceName, (typeof TAXII11_SERVICES)[Taxii11ServiceName]][]) {
    router.post(service.path, headers, deps.authenticate, requireAuthenticated, readBody, (req: Request, res: Response, next: NextFunction) => {
      handle(req, res, name).catch(next);
    });
    router.all(service.path, (req, _res, next) => {
      next(hubError('METHOD_NOT_ALLOWED', { description: `TAXII 1.1 services take POST only (HTTP binding §3), not ${req.method}`, allow: ['POST'] }));
    });
  }

  async function handle(req: Request, res: Response, service: Taxii11ServiceName): Promise<void> {
    const locals = localsOf(res);
    const body: unknown = req.body;
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    if (bytes.length === 0) throw hubError('BAD_REQUEST', 'The request has no body: send a TAXII 1.1 XML message');
    const parsed = parseXml(bytes);
    if (!parsed.ok) throw hubError('BAD_REQUEST', `The request is not an XML document the hub reads: ${parsed.message}`);
    const request = parseTaxiiRequest(parsed.root);
    if (!request.ok) {
      locals.inResponseTo = request.inResponseTo;
      throw hubError(request.status === 'BAD_MESSAGE' ? 'BAD_REQUEST' : 'UNSUPPORTED_MESSAGE_BINDING', request.message);
    }
    locals.version = request.version;
    const message = request.message;
    locals.inResponseTo = message.messageId;
    if (message.kind === 'status' || !SERVICE_KINDS[service].includes(message.kind)) {
      const wanted = SERVICE_KINDS[service].join(', ');
      throw hubError('UNSUPPORTED_MESSAGE_BINDING', `The ${TAXII11_SERVICES[service].serviceType} service at ${TAXII11_SERVICES[service].path} takes ${wanted} requests, not ${message.kind}`);
    }
    const exchange = {
      who: req.user as Principal,
      version: request.version,
      message,
      addresses: serviceAddresses(req, deps.publicUrl),
      messageId: messageIdFor(request.version, randomUUID()),
    };
    const handler = deps.handlers[message.kind] as Taxii11Handler<RequestKind>;
    const answer = await handler(exchange as Taxii11Exchange<RequestKind>);
    sendTaxii11(res, 200, answer, request.version, requestProtocolBinding(req, deps.publicUrl));
  }

  const errors: ErrorRequestHandler = (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const hub = toHubError(error);
    if (!isHubError(error) && hub.code === 'DATABASE_UNAVAILABLE') req.log.warn({ err: error }, 'database unavailable');
    else if (!isHubError(error)) req.log.error({ err: error }, 'unexpected error');
    const locals = localsOf(res);
    sendStatusMessage(res, hub, { version: locals.version, inResponseTo: locals.inResponseTo, protocolBinding: requestProtocolBinding(req, deps.publicUrl), messageId: messageIdFor(locals.version, randomUUID()) });
  };
  router.use(errors);
  return router;
}

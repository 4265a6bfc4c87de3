import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { WWW_AUTHENTICATE_CHALLENGE } from '../../auth/challenge';
import { ERROR_CATALOG, HubError, hubError, isHubError, type ErrorCode } from '../../domain/errors';
import type { Metrics } from '../ops/metrics';
import { errorProtocolFor } from '../route-table';
import { taxiiErrorResource } from '../taxii21/error-resource';
import { sendTaxii } from '../taxii21/taxii-response';
import { isDatabaseUnavailable } from './database-unavailable';
import { trailingSlashHint } from './path-hints';
import { PROTOCOL_BINDING_HTTP, PROTOCOL_BINDING_HTTPS } from '../../domain/taxii11';
import { sendStatusMessage } from '../taxii11/status-responses';
import { isConsoleRequest } from '../console/console-security';

/** Seconds a client should wait before retrying when the database is away. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The admin API's error body. */
export interface AdminErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly title: string;
    readonly message: string;
    readonly problems?: readonly { readonly path: string; readonly message: string }[];
  };
}

/**
 * The only place error responses are written. Every error becomes a catalogued HubError and is
 * rendered in the form of the protocol the request spoke: a TAXII 2.1 error resource, or the admin
 * API's JSON. Unknown errors become INTERNAL: logged with their stack, never shown to the client.
 */
export function createErrorMiddleware(deps: { readonly metrics: Metrics }): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error); // express aborts the connection: the client sees a truncated response, not a lie
      return;
    }
    const hub = toHubError(error);
    if (hub.code === 'DATABASE_UNAVAILABLE' && !isHubError(error)) {
      deps.metrics.databaseErrors.inc();
      req.log.warn({ err: error }, 'database unavailable');
    } else if (hub.code === 'INTERNAL' && !isHubError(error)) {
      req.log.error({ err: error }, 'unexpected error');
    }
    const protocol = errorProtocolFor(req.originalUrl.split('?')[0] ?? '');
    if (protocol === 'taxii11') {
      // Reached no TAXII 1.1 service (their own router answers theirs): the HTTP status stays.
      sendStatusMessage(res, hub, { version: '1.1', inResponseTo: '0', messageId: randomUUID(), protocolBinding: req.protocol === 'https' ? PROTOCOL_BINDING_HTTPS : PROTOCOL_BINDING_HTTP }, true);
      return;
    }
    setErrorHeaders(res, hub);
    // A Basic challenge would open the browser's own password dialog over the console.
    if (hub.httpStatus === 401 && isConsoleRequest(req)) res.removeHeader('WWW-Authenticate');
    if (protocol === 'admin') {
      res.status(hub.httpStatus).json(adminErrorBody(hub));
    } else {
      sendTaxii(res, hub.httpStatus, taxiiErrorResource(hub));
    }
  };
}

/** The last handler: nothing matched the URL. Says "did you mean" when only the trailing slash is off (path-hints.ts). */
export const notFoundHandler: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  const path = req.originalUrl.split('?')[0] ?? req.path;
  const hint = trailingSlashHint(req.app, path);
  const why = hint?.endsWith('/') ? "TAXII 2.1 paths end with '/'" : "this path does not end with '/'";
  next(hubError('NOT_FOUND', hint === undefined ? `There is no resource at ${path}` : `There is no resource at ${path}; did you mean ${hint} (${why})?`));
};

/** For a path that exists but does not define the request's method. */
export function methodNotAllowed(methods: readonly string[]): RequestHandler {
  const allow = methods.includes('GET') && !methods.includes('HEAD') ? [...methods, 'HEAD'] : [...methods];
  return (req: Request, _res: Response, next: NextFunction) => {
    next(hubError('METHOD_NOT_ALLOWED', { description: `${req.method} is not allowed here; use ${allow.join(', ')}`, allow }));
  };
}

export function adminErrorBody(error: HubError): AdminErrorBody {
  const { problems } = error.details;
  return {
    error: {
      code: error.code,
      title: error.title,
      message: error.details.description ?? error.title,
      ...(problems && problems.length > 0 ? { problems } : {}),
    },
  };
}

function setErrorHeaders(res: Response, error: HubError): void {
  const status = error.httpStatus;
  if (status === 401) res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE_CHALLENGE);
  if (status === 429 || status === 503) {
    res.setHeader('Retry-After', String(error.details.retryAfter ?? (status === 503 ? DATABASE_RETRY_AFTER_SECONDS : 1)));
  }
  if (status === 405 && error.details.allow) res.setHeader('Allow', error.details.allow.join(', '));
}

/** Request-body errors raised by express's body parsers (they carry a `type`). */
const BODY_PARSER_ERRORS: Readonly<Record<string, ErrorCode>> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'BAD_REQUEST',
  'entity.verify.failed': 'BAD_REQUEST',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'BAD_REQUEST',
  'request.size.invalid': 'BAD_REQUEST',
};

export function toHubError(error: unknown): HubError {
  if (isHubError(error)) return error;
  if (isDatabaseUnavailable(error)) {
    return hubError('DATABASE_UNAVAILABLE', { description: 'The database cannot be reached; try again shortly', retryAfter: DATABASE_RETRY_AFTER_SECONDS });
  }
  const fields = typeof error === 'object' && error !== null ? (error as { type?: unknown; status?: unknown; limit?: unknown; expose?: unknown; message?: unknown }) : {};
  const bodyCode = typeof fields.type === 'string' ? BODY_PARSER_ERRORS[fields.type] : undefined;
  if (bodyCode === 'PAYLOAD_TOO_LARGE') {
    const limit = typeof fields.limit === 'number' ? ` of ${fields.limit} bytes` : '';
    return hubError('PAYLOAD_TOO_LARGE', `The request body is larger than the limit${limit}`);
  }
  if (fields.type === 'entity.parse.failed') {
    return hubError('BAD_REQUEST', `The request body is not valid JSON${typeof fields.message === 'string' ? `: ${fields.message}` : ''}`);
  }
  if (bodyCode) return hubError(bodyCode, typeof fields.message === 'string' ? fields.message : ERROR_CATALOG[bodyCode].title);
  // Other client errors from express itself (e.g. an undecodable %-escape in the path) carry a 4xx
  // status; their message is safe to show only when http-errors marks it `expose`.
  if (typeof fields.status === 'number' && fields.status >= 400 && fields.status < 500) {
    const code = codeForStatus(fields.status);
    return hubError(code, fields.expose === true && typeof fields.message === 'string' ? fields.message : ERROR_CATALOG[code].title);
  }
  return hubError('INTERNAL', 'The server could not complete the request');
}

function codeForStatus(status: number): ErrorCode {
  const entry = (Object.entries(ERROR_CATALOG) as [ErrorCode, (typeof ERROR_CATALOG)[ErrorCode]][]).find(([, e]) => e.httpStatus === status);
  return entry ? entry[0] : 'BAD_REQUEST';
}

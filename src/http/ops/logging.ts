import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { SerializedRequest, SerializedResponse } from 'pino-std-serializers';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { LogLevel } from '../../config/settings';
import type { Principal } from '../../domain/principal';
import { OPS_PATHS } from '../route-table';
import { assignRequestId } from './request-id';

export type { Logger } from 'pino';

/**
 * Secrets never reach a log line: credentials travel in headers (Authorization, API-key headers,
 * cookies) and in admin request bodies (passwords, API-key secrets).
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'password',
  'secret',
  'token',
  '*.password',
  '*.secret',
  '*.token',
  'body.*.password',
];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

const OPS_PATH_SET: ReadonlySet<string> = new Set(Object.values(OPS_PATHS));

/**
 * Who made a request, as its completion line records it: ids and names only, never a credential
 * (an API key is named by its id, the part of the token that is not secret).
 */
export function principalLogFields(principal: Principal): Record<string, string> {
  return {
    userId: principal.userId,
    username: principal.username,
    ...(principal.organizationId !== '' ? { organization: principal.organizationId } : {}),
    via: principal.via,
    ...(principal.apiKeyId !== undefined ? { apiKeyId: principal.apiKeyId } : {}),
  };
}

/**
 * pino-http with our request id: every line a handler logs through `req.log` carries `requestId`,
 * and the completion line adds the request, the response and the principal who made it (absent for
 * a request that did not authenticate). Probes of the ops endpoints log at debug so that health
 * checks every few seconds do not drown the log.
 */
export function createHttpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: assignRequestId,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    // Lean request/response records: headers are mostly noise and may carry credentials or cookies.
    serializers: {
      req: (req: SerializedRequest) => ({ method: req.method, url: req.url, remoteAddress: req.remoteAddress, userAgent: req.headers['user-agent'] }),
      res: (res: SerializedResponse) => ({ statusCode: res.statusCode }),
    },
    // Called when the request starts (nobody authenticated yet) and again when it completes.
    customProps: (req: IncomingMessage) => {
      const principal = (req as IncomingMessage & { user?: Principal }).user;
      return principal === undefined ? {} : { principal: principalLogFields(principal) };
    },
    customLogLevel: (req: IncomingMessage, res: ServerResponse, error?: Error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (OPS_PATH_SET.has((req.url ?? '').split('?')[0] ?? '')) return 'debug';
      return 'info';
    },
  });
}

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { hubError, type HubError } from '../../domain/errors';
import { errorProtocolFor } from '../route-table';
import { taxiiErrorResource } from '../taxii21/error-resource';
import { TAXII_MEDIA_TYPE } from '../taxii21/media-types';
import { adminErrorBody } from './error-middleware';
import { statusMessageText } from '../taxii11/status-responses';

/**
 * Requests that Node's HTTP parser refuses before express sees them (header fields over the limit,
 * bad framing, a request line or header that is not HTTP, a client too slow to send its headers)
 * still get an answer in the hub's error form, while the socket can take one: a TAXII 2.1 error
 * resource for a TAXII path, the JSON error for /api and /admin/api, and the JSON error when the
 * path cannot be read (the parser keeps only the bytes of the chunk it failed on, which for a long
 * header may not include the request line). The connection is closed after the answer.
 */

/** Parser failures by Node's error code; anything else is a 400. */
function clientErrorFor(error: NodeJS.ErrnoException & { reason?: unknown }): HubError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return hubError('HEADERS_TOO_LARGE', `The request header fields are larger than the server accepts (${http.maxHeaderSize} bytes in all)`);
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return hubError('PAYLOAD_TOO_LARGE', 'The chunk extensions of the request body are larger than the server accepts');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return hubError('REQUEST_TIMEOUT', 'The request was not received in time');
    default: {
      const reason = typeof error.reason === 'string' && error.reason !== '' ? `: ${error.reason}` : '';
      return hubError('BAD_REQUEST', `The request is not valid HTTP/1.1${reason}`);
    }
  }
}

/** The request target of the first line of `raw`, without its query, when it is an HTTP request line. */
export function requestPathOf(raw: Buffer | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const line = /^[A-Z]+ (\/[^\s?#]*)\S* HTTP\/\d/.exec(raw.subarray(0, 8192).toString('latin1'));
  return line?.[1];
}

/** The raw HTTP/1.1 response for a refused request. */
export function clientErrorResponse(error: HubError, path: string | undefined): string {
  const protocol = path === undefined ? 'admin' : errorProtocolFor(path);
  const taxii = protocol === 'taxii21';
  const body =
    protocol === 'taxii11'
      ? statusMessageText(error, { version: '1.1', inResponseTo: '0', messageId: randomUUID() })
      : JSON.stringify(taxii ? taxiiErrorResource(error) : adminErrorBody(error));
  const contentType = protocol === 'taxii11' ? 'application/xml; charset=utf-8' : taxii ? TAXII_MEDIA_TYPE : 'application/json; charset=utf-8';
  return [
    `HTTP/1.1 ${error.httpStatus} ${http.STATUS_CODES[error.httpStatus] ?? error.title}`,
    `Content-Type: ${contentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** How long a refused connection may stay open for the client to read the answer. */
const CLOSE_AFTER_MS = 5_000;

/** Answers the server's client errors in the hub's error form (replacing Node's bare status lines). */
export function answerClientErrors(server: http.Server, logger?: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer; reason?: unknown }, socket: Duplex) => {
    // A response already under way on this connection (pipelining) cannot be followed by another.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const hub = clientErrorFor(error);
    // The bytes the parser failed on name the path when the request line is among them; a request
    // whose body ended early (Content-Length larger than what came) was dispatched already: its URL.
    const dispatched = (inFlight as { req?: { url?: string } } | null | undefined)?.req?.url;
    const path = requestPathOf(error.rawPacket) ?? dispatched?.split('?')[0];
    logger?.info({ code: error.code, status: hub.httpStatus, path }, 'refused a request the HTTP parser could not read');
    // end(), not destroy(): the client reads the answer before the connection closes.
    socket.end(clientErrorResponse(hub, path));
    const timer = setTimeout(() => socket.destroy(), CLOSE_AFTER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}

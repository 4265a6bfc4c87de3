import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { parseIp } from './address-ranges';
import { addressAllowed, hostAllowed, type AllowList } from './delivery-allow-list';

/**
 * The one way the hub sends a request to an address a tenant gave it (SSRF guard, MT-05, e.1):
 * - only http: and https: URLs, without credentials in them;
 * - the host must be on the organization's allow-list; every address it resolves to is checked
 *   (delivery-allow-list.ts), and the connection goes to the checked address itself (the socket's
 *   lookup is pinned to it: no second resolution, so no DNS rebinding); the Host header and the TLS
 *   server name stay the host name, and https verifies the certificate for it;
 * - redirects are never followed (a 3xx is returned to the caller as it is);
 * - a connect timeout and a total timeout; the response body is read up to a cap, then dropped.
 */

export interface OutboundRequest {
  readonly url: string;
  /** POST by default; GET (sent without a body) reads a resource, e.g. a TAXII 2.1 status. */
  readonly method?: 'POST' | 'GET';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export type OutboundOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly headers: http.IncomingHttpHeaders; readonly body: Buffer; readonly truncated: boolean }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

export type HostResolver = (host: string) => Promise<readonly string[]>;

export interface GuardedHttpClientOptions {
  /** Resolves a host name to its addresses (all of them); DNS by default. Tests inject one. */
  readonly resolve?: HostResolver;
  /** Time to establish the connection (TCP and TLS); 5 s by default. */
  readonly connectTimeoutMs?: number;
  /** Time for the whole exchange; 15 s by default. */
  readonly totalTimeoutMs?: number;
  /** Bytes of response body kept; 64 KiB by default. */
  readonly maxResponseBytes?: number;
  /** Extra trusted CAs for https (tests; an operator's private CA). */
  readonly ca?: SecureContextOptions['ca'];
}

export interface GuardedHttpClient {
  post(request: OutboundRequest, allowList: AllowList): Promise<OutboundOutcome>;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_TOTAL_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

const systemResolver: HostResolver = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

export function createGuardedHttpClient(options: GuardedHttpClientOptions = {}): GuardedHttpClient {
  const resolve = options.resolve ?? systemResolver;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const totalTimeoutMs = options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  async function pinnedAddress(url: URL, allowList: AllowList): Promise<{ ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string }> {
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    if (!hostAllowed(allowList, host)) return { ok: false, reason: `host '${host}' is not on the organization's delivery allow-list` };
    const literal = parseIp(host);
    let addresses: readonly string[];
    if (literal) addresses = [host];
    else {
      try {
        addresses = await resolve(host);
      } catch (error) {
        return { ok: false, reason: `host '${host}' could not be resolved (${error instanceof Error && 'code' in error ? String(error.code) : 'lookup failed'})` };
      }
    }
    if (addresses.length === 0) return { ok: false, reason: `host '${host}' resolves to no address` };
    for (const text of addresses) {
      const ip = parseIp(text);
      if (!ip) return { ok: false, reason: `host '${host}' resolves to '${text}', which is not an IP address` };
      const verdict = addressAllowed(allowList, ip, text);
      if (!verdict.allowed) return { ok: false, reason: `host '${host}' ${verdict.reason}` };
    }
    const first = addresses[0] as string;
    return { ok: true, address: first, family: parseIp(first)?.family ?? 4 };
  }

  return {
    async post(request, allowList) {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return { kind: 'refused', reason: 'the delivery address is not a URL' };
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'refused', reason: `the delivery address's scheme '${url.protocol}' is not http or https` };
      if (url.username !== '' || url.password !== '') return { kind: 'refused', reason: 'the delivery address carries credentials' };
      const pinned = await pinnedAddress(url, allowList);
      if (!pinned.ok) return { kind: 'refused', reason: pinned.reason };
      return send(url, pinned.address, pinned.family, request);
    },
  };

  function send(url: URL, address: string, family: 4 | 6, request: OutboundRequest): Promise<OutboundOutcome> {
    // Every connection of this request goes to the checked address, whatever the name resolves to now.
    const lookup: LookupFunction = (_host, lookupOptions, callback) => {
      if (lookupOptions.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<OutboundOutcome>((resolvePromise) => {
      let settled = false;
      const finish = (outcome: OutboundOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(totalTimer);
        clearTimeout(connectTimer);
        resolvePromise(outcome);
      };
      const req = transport.request(url, {
        method: request.method ?? 'POST',
        headers: request.method === 'GET' ? { ...request.headers } : { ...request.headers, 'content-length': String(body.length) },
        lookup,
        agent: false,
        ...(url.protocol === 'https:' && options.ca !== undefined ? { ca: options.ca } : {}),
      });
      const connectTimer = setTimeout(() => {
        req.destroy();
        finish({ kind: 'failed', reason: `no connection within ${connectTimeoutMs} ms` });
      }, connectTimeoutMs);
      const totalTimer = setTimeout(() => {
        req.destroy();
        finish({ kind: 'failed', reason: `no complete answer within ${totalTimeoutMs} ms` });
      }, totalTimeoutMs);
      req.once('socket', (socket) => {
        const connected = () => clearTimeout(connectTimer);
        if (url.protocol === 'https:') socket.once('secureConnect', connected);
        else socket.once('connect', connected);
      });
      req.once('error', (error: NodeJS.ErrnoException) => finish({ kind: 'failed', reason: describeNetworkError(error) }));
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        let truncated = false;
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = maxResponseBytes - kept;
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            kept = maxResponseBytes;
            truncated = true;
            // Enough read: stop the transfer rather than drain a large (or endless) body.
            finish({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated });
            res.destroy();
            return;
          }
          chunks.push(chunk);
          kept += chunk.length;
        });
        res.once('end', () => finish({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated }));
        res.once('error', (error: NodeJS.ErrnoException) => finish({ kind: 'failed', reason: describeNetworkError(error) }));
      });
      req.end(request.method === 'GET' ? undefined : body);
    });
  }
}

/** A network error in words a subscriber's operator can act on, without internals. */
function describeNetworkError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the receiver';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'receiver unreachable';
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the receiver's TLS certificate was not accepted (${error.code})`;
    default:
      return error.code ? `network error (${error.code})` : 'network error';
  }
}

import type { Request, Response } from 'express';
import { hubError, type HubError } from '../../domain/errors';
import { parseJsonBody } from '../body/json-body';
import { TAXII_VERSION } from './media-types';

/**
 * The body of a TAXII 2.1 POST (Add Objects, §5.5): its media type (415), its size against the API
 * root's max_content_length (413), JSON (400, 422: see ../body/json-body.ts), and the envelope or
 * bundle shape (422).
 */

/** 415 unless the Content-Type is `application/taxii+json` (optionally `version=2.1`, `charset=utf-8`). */
export function requireTaxiiContentType(header: string | undefined): void {
  if (header === undefined || !isTaxiiContentType(header)) {
    throw hubError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as Content-Type: application/taxii+json;version=2.1');
  }
}

/** Type, subtype and parameter names are case-insensitive; spaces around `;` and `=` are allowed. */
export function isTaxiiContentType(header: string): boolean {
  const [mediaType = '', ...params] = header.split(';').map((part) => part.trim());
  if (mediaType.toLowerCase() !== 'application/taxii+json') return false;
  for (const param of params) {
    if (param === '') continue;
    const eq = param.indexOf('=');
    if (eq <= 0) return false;
    const name = param.slice(0, eq).trim().toLowerCase();
    const value = unquote(param.slice(eq + 1).trim()).toLowerCase();
    if (name === 'version' && value === TAXII_VERSION) continue;
    if (name === 'charset' && (value === 'utf-8' || value === 'utf8')) continue;
    return false;
  }
  return true;
}

/**
 * The raw body, its bytes counted as they arrive (Content-Length is not trusted; chunked bodies are
 * counted alike). A body of exactly `limit` bytes is read; one byte more is 413, answered on a
 * connection that then closes, without reading the rest.
 */
export function readBodyBytes(req: Request, res: Response, limit: number): Promise<Buffer> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    return Promise.reject(hubError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${encoding} is not supported; send the body uncompressed`));
  }
  const tooLarge = (): HubError => {
    res.setHeader('Connection', 'close');
    return hubError('PAYLOAD_TOO_LARGE', `The request body is larger than this API root's max_content_length of ${limit} bytes`);
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: { error: HubError } | { body: Buffer }) => {
      if (settled) return;
      settled = true;
      req.off('data', onData).off('end', onEnd).off('error', onBroken).off('close', onClose);
      req.on('error', () => {}); // a late socket error must not become an uncaught 'error' event
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        settle({ error: tooLarge() });
        req.resume(); // discard what is still in flight; the connection closes after the 413
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle({ body: Buffer.concat(chunks, size) });
    const onBroken = () => settle({ error: hubError('BAD_REQUEST', 'The request body was not received completely') });
    const onClose = () => {
      if (!req.complete) onBroken();
    };
    req.on('data', onData).on('end', onEnd).on('error', onBroken).on('close', onClose);
  });
}

/**
 * The objects of a TAXII envelope `{"objects": [...]}` or of a STIX bundle `{"type": "bundle", "id",
 * "objects": [...]}` (what the stix2 library's TAXIICollectionSink posts); other keys are ignored.
 */
export function envelopeObjects(body: Buffer): unknown[] {
  // UTF-8 (400), nesting and repeated keys (400), JSON (400), NUL and lone surrogates (422): see json-body.ts.
  const parsed = parseJsonBody(body);
  const objects = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>).objects : undefined;
  if (!Array.isArray(objects)) {
    throw hubError('UNPROCESSABLE', 'The body must be a TAXII envelope {"objects": [...]} or a STIX bundle with an objects list');
  }
  if (objects.length === 0) throw hubError('UNPROCESSABLE', 'The objects list is empty (TAXII prohibits empty lists); send at least one object');
  return objects;
}

/** Content-Type (415), then the body within `limit` bytes (413), parsed (400) into its objects (422). */
export async function readTaxiiObjects(req: Request, res: Response, limit: number): Promise<unknown[]> {
  requireTaxiiContentType(req.headers['content-type']);
  return envelopeObjects(await readBodyBytes(req, res, limit));
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

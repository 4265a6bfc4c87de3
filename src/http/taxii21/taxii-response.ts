import type { Response } from 'express';
import { TAXII_MEDIA_TYPE } from './media-types';

/**
 * Sends a TAXII body with exactly `Content-Type: application/taxii+json;version=2.1`. res.json/res.send
 * would append `; charset=utf-8`, which strict clients and conformance tests reject.
 */
export function sendTaxii(res: Response, status: number, body: unknown): void {
  sendTaxiiJson(res, status, JSON.stringify(body));
}

/** sendTaxii for a body already encoded as JSON text (object pages splice stored objects in as stored). */
export function sendTaxiiJson(res: Response, status: number, json: string): void {
  const payload = Buffer.from(json, 'utf8');
  res.status(status);
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.setHeader('Content-Length', String(payload.length));
  res.end(payload);
}

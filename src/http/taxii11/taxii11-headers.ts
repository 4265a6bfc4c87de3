import type { Request, Response } from 'express';
import { hubError } from '../../domain/errors';
import {
  MESSAGE_BINDING_XML_10,
  MESSAGE_BINDING_XML_11,
  PROTOCOL_BINDING_HTTP,
  PROTOCOL_BINDING_HTTPS,
  SERVICES_10,
  SERVICES_11,
  messageBindingOf,
  servicesVersionOf,
  type TaxiiVersion,
} from '../../domain/taxii11';

/**
 * The four X-TAXII headers of the HTTP binding (§2.1, H-02..H-06): checked on requests, set on every
 * answer. Missing headers are tolerated (the body's namespace says which TAXII it is); present ones
 * must name something the hub speaks.
 */

const MESSAGE_BINDINGS = [MESSAGE_BINDING_XML_11, MESSAGE_BINDING_XML_10];
const SUPPORTED_BINDING_DETAILS = MESSAGE_BINDINGS.map((value) => ({ name: 'SUPPORTED_BINDING', value }));

/** The TAXII version the request's headers announce (1.1 when they say nothing). */
export function announcedVersion(req: Request): TaxiiVersion {
  return req.get('x-taxii-content-type')?.trim() === MESSAGE_BINDING_XML_10 ? '1.0' : '1.1';
}

/** Throws the catalogued error for headers that name what the hub does not speak. */
export function checkTaxii11Headers(req: Request): void {
  const contentType = req.get('content-type');
  if (contentType !== undefined && !/^\s*(application|text)\/([\w.+-]+\+)?xml\s*(;|$)/i.test(contentType)) {
    throw hubError('UNSUPPORTED_MESSAGE_BINDING', {
      description: `TAXII 1.1 messages are XML: send Content-Type: application/xml (not ${contentType})`,
      statusDetails: SUPPORTED_BINDING_DETAILS,
    });
  }
  const binding = req.get('x-taxii-content-type')?.trim();
  if (binding !== undefined && binding !== '' && !MESSAGE_BINDINGS.includes(binding)) {
    throw hubError('UNSUPPORTED_MESSAGE_BINDING', { description: `X-TAXII-Content-Type ${binding} is not a message binding this hub speaks`, statusDetails: SUPPORTED_BINDING_DETAILS });
  }
  const accepted = req.get('x-taxii-accept')?.trim();
  if (accepted !== undefined && accepted !== '' && !accepted.split(/\s+/).some((b) => MESSAGE_BINDINGS.includes(b))) {
    throw hubError('UNSUPPORTED_MESSAGE_BINDING', { description: `X-TAXII-Accept names no message binding this hub speaks (${accepted})`, statusDetails: SUPPORTED_BINDING_DETAILS });
  }
  const services = req.get('x-taxii-services')?.trim();
  if (services !== undefined && services !== '' && services !== SERVICES_11 && services !== SERVICES_10) {
    throw hubError('UNSUPPORTED_MESSAGE_BINDING', { description: `X-TAXII-Services ${services} is not a TAXII services version this hub speaks (${SERVICES_11}, ${SERVICES_10})`, statusDetails: SUPPORTED_BINDING_DETAILS });
  }
  const protocol = req.get('x-taxii-protocol')?.trim();
  if (protocol !== undefined && protocol !== '' && protocol !== PROTOCOL_BINDING_HTTP && protocol !== PROTOCOL_BINDING_HTTPS) {
    throw hubError('UNSUPPORTED_PROTOCOL_BINDING', {
      description: `X-TAXII-Protocol ${protocol} is not a protocol binding this hub speaks`,
      statusDetails: [PROTOCOL_BINDING_HTTP, PROTOCOL_BINDING_HTTPS].map((value) => ({ name: 'SUPPORTED_PROTOCOL', value })),
    });
  }
}

/** Writes a TAXII message: HTTP status, the X-TAXII headers for `version`, the XML body. */
export function sendTaxii11(res: Response, status: number, body: string, version: TaxiiVersion, protocolBinding: string): void {
  res.status(status);
  res.setHeader('Content-Type', 'application/xml; charset=utf-8');
  res.setHeader('X-TAXII-Content-Type', messageBindingOf(version));
  res.setHeader('X-TAXII-Services', servicesVersionOf(version));
  res.setHeader('X-TAXII-Protocol', protocolBinding);
  res.send(body);
}

import type { Request } from 'express';
import { PROTOCOL_BINDING_HTTP, PROTOCOL_BINDING_HTTPS } from '../../domain/taxii11';
import { TAXII11_SERVICES, type Taxii11ServiceName } from './paths';

/**
 * Where clients reach the TAXII 1.1 services: under HUB_PUBLIC_URL when set (a hub behind a TLS
 * proxy advertises https addresses and the https protocol binding), else the scheme and Host of the
 * request itself (X-Forwarded-* honoured only with TRUST_PROXY).
 */
export interface ServiceAddresses {
  readonly protocolBinding: string;
  address(service: Taxii11ServiceName): string;
}

export function serviceAddresses(req: Request, publicUrl: string | undefined): ServiceAddresses {
  const base = (publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');
  return {
    protocolBinding: base.startsWith('https:') ? PROTOCOL_BINDING_HTTPS : PROTOCOL_BINDING_HTTP,
    address: (service) => `${base}${TAXII11_SERVICES[service].path}`,
  };
}

/** The protocol binding the request itself came over (X-TAXII-Protocol of the answer: H-03). */
export function requestProtocolBinding(req: Request, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return publicUrl.startsWith('https:') ? PROTOCOL_BINDING_HTTPS : PROTOCOL_BINDING_HTTP;
  return req.protocol === 'https' ? PROTOCOL_BINDING_HTTPS : PROTOCOL_BINDING_HTTP;
}

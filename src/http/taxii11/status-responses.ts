import type { Response } from 'express';
import { ERROR_CATALOG, type HubError } from '../../domain/errors';
import { STATUS_TYPES_10, renderStatusMessage, type StatusType, type TaxiiVersion } from '../../domain/taxii11';
import { sendTaxii11 } from './taxii11-headers';

/**
 * A HubError as the TAXII 1.1 Status_Message the client gets, in HTTP 200 (HTTP binding §4, H-08:
 * cabby reads no body of a non-2xx answer). The status type comes from the one error catalog; the
 * Status_Detail entries from the error. Only a method other than POST keeps its HTTP 405 (H-01).
 */

export interface StatusContext {
  readonly version: TaxiiVersion;
  /** The request's message_id, or '0' when it could not be read. */
  readonly inResponseTo: string;
  readonly protocolBinding: string;
  readonly messageId: string;
}

export function statusTypeOf(error: HubError, version: TaxiiVersion): StatusType {
  const type = ERROR_CATALOG[error.code].taxii11;
  // TAXII 1.0 knows fewer status types; the others are FAILURE there.
  return version === '1.0' && !STATUS_TYPES_10.includes(type) ? 'FAILURE' : type;
}

export function statusDetailsOf(error: HubError): { name: string; value: string }[] {
  const details = [...(error.details.statusDetails ?? [])];
  const wait = error.details.retryAfter;
  if (wait !== undefined && (error.httpStatus === 429 || error.httpStatus === 503) && !details.some((d) => d.name === 'ESTIMATED_WAIT')) {
    details.push({ name: 'ESTIMATED_WAIT', value: String(wait) });
  }
  return details;
}

/** The Status_Message text for `error`. */
export function statusMessageText(error: HubError, context: Omit<StatusContext, 'protocolBinding'>): string {
  return renderStatusMessage(
    {
      messageId: context.messageId,
      inResponseTo: context.inResponseTo,
      statusType: statusTypeOf(error, context.version),
      details: statusDetailsOf(error),
      message: error.details.description ?? error.title,
    },
    context.version,
  );
}

/**
 * Answers a failed request to a TAXII 1.1 service. `outsideService` is for requests that reached no
 * service (an unknown path under /taxii1): they keep their HTTP status, with the Status_Message as body.
 */
export function sendStatusMessage(res: Response, error: HubError, context: StatusContext, outsideService = false): void {
  const httpStatus = outsideService || error.code === 'METHOD_NOT_ALLOWED' ? error.httpStatus : 200;
  if (httpStatus === 405 && error.details.allow) res.setHeader('Allow', error.details.allow.join(', '));
  sendTaxii11(res, httpStatus, statusMessageText(error, context), context.version, context.protocolBinding);
}

import type { Request, Response } from 'express';
import { requirePrincipal } from '../../auth/principal-request';
import { formatMicros } from '../../domain/timestamps';
import type { ObjectIngestService, StatusDetail, TaxiiStatus } from '../../services/object-ingest-service';
import { sendTaxii } from './taxii-response';

/**
 * The status resource (§4.3.1). total_count = success_count + failure_count + pending_count, each
 * list is as long as its count, and an empty list is omitted (TAXII prohibits empty lists).
 */
export function statusResource(status: TaxiiStatus): Record<string, unknown> {
  const list = (name: string, details: readonly StatusDetail[]) => (details.length > 0 ? { [name]: details.map(statusDetail) } : {});
  return {
    id: status.id,
    status: status.status,
    request_timestamp: formatMicros(status.requestTimestamp),
    total_count: status.successes.length + status.failures.length + status.pendings.length,
    success_count: status.successes.length,
    failure_count: status.failures.length,
    pending_count: status.pendings.length,
    ...list('successes', status.successes),
    ...list('failures', status.failures),
    ...list('pendings', status.pendings),
  };
}

function statusDetail(detail: StatusDetail): Record<string, unknown> {
  return { id: detail.id, version: detail.version, ...(detail.message !== undefined ? { message: detail.message } : {}) };
}

/** GET {api-root}/status/{status-id}/ (§4.3). */
export function statusHandler(service: ObjectIngestService) {
  return async (req: Request, res: Response): Promise<void> => {
    const status = await service.status(requirePrincipal(req), String(req.params.apiRoot), String(req.params.status));
    sendTaxii(res, 200, statusResource(status));
  };
}

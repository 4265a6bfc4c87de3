import type { Request, Response } from 'express';
import type { ObjectIngestService } from '../../services/object-ingest-service';
import { statusResource } from './status-handler';
import { readTaxiiObjects } from './taxii-body';
import { sendTaxii } from './taxii-response';

/**
 * POST {api-root}/collections/{id}/objects/ (§5.5): authorization first (401/403/404), so nobody
 * unauthorised makes the hub read a body; then the body (415/413/400/422); 202 with the status.
 */
export function addObjectsHandler(service: ObjectIngestService) {
  return async (req: Request, res: Response): Promise<void> => {
    const target = await service.openWrite(req.user, String(req.params.apiRoot), String(req.params.collection));
    const objects = await readTaxiiObjects(req, res, target.maxContentLength);
    const status = await service.add(target, objects);
    sendTaxii(res, 202, statusResource(status));
  };
}

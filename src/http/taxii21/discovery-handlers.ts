import type { Request, Response } from 'express';
import { requirePrincipal } from '../../auth/principal-request';
import type { DiscoveryInfo, DiscoveryService } from '../../services/discovery-service';
import type { ApiRoot } from '../../domain/tenancy';
import { TAXII_MEDIA_TYPE } from './media-types';
import { sendTaxii } from './taxii-response';

/** The discovery resource (§4.1.1). Empty lists are omitted, never sent as []. */
export function discoveryResource(info: DiscoveryInfo): Record<string, unknown> {
  const apiRoots = info.apiRoots.map((root) => apiRootUrl(root.id));
  const defaultRoot = info.hub.defaultApiRootId !== null ? apiRootUrl(info.hub.defaultApiRootId) : undefined;
  return {
    title: info.hub.title,
    ...(info.hub.description ? { description: info.hub.description } : {}),
    ...(info.hub.contact ? { contact: info.hub.contact } : {}),
    // `default` must be one of `api_roots` (§4.1.1)
    ...(defaultRoot !== undefined && apiRoots.includes(defaultRoot) ? { default: defaultRoot } : {}),
    ...(apiRoots.length > 0 ? { api_roots: apiRoots } : {}),
  };
}

/** The API root resource (§4.2.1). */
export function apiRootResource(root: ApiRoot): Record<string, unknown> {
  return {
    title: root.title,
    ...(root.description ? { description: root.description } : {}),
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: root.maxContentLength,
  };
}

/** API roots are advertised as relative URLs (`/demo/`), valid behind any host name or proxy. */
function apiRootUrl(id: string): string {
  return `/${encodeURIComponent(id)}/`;
}

export function discoveryHandler(service: DiscoveryService) {
  return async (req: Request, res: Response): Promise<void> => {
    const info = await service.discover(requirePrincipal(req));
    sendTaxii(res, 200, discoveryResource(info));
  };
}

export function apiRootHandler(service: DiscoveryService) {
  return async (req: Request, res: Response): Promise<void> => {
    const root = await service.apiRoot(requirePrincipal(req), String(req.params.apiRoot));
    sendTaxii(res, 200, apiRootResource(root));
  };
}

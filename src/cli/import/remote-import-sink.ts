import { ERROR_CATALOG, hubError, isHubError, type ErrorCode } from '../../domain/errors';
import { HUB_API_PREFIX } from '../../http/route-table';
import { TAXII_MEDIA_TYPE } from '../../http/taxii21/media-types';
import type { StatusDetail } from '../../storage/status-store';
import { requestHub } from '../admin/hub-request';
import type { ImportSink } from './import-runner';

/**
 * An import sink over a running hub's HTTP APIs: STIX objects through TAXII 2.1 Add Objects, unified
 * submissions through POST /api/submissions, with the credentials' user as the provider. What the hub
 * refuses (a 4xx) fails the file; an unreachable hub or a 5xx ends the import.
 */

interface Remote {
  readonly url: string;
  readonly authorization: string;
}

/** Finds the collection's API root through discovery and checks that the credentials may write to it. */
export async function openRemoteSink(remote: Remote, collectionId: string): Promise<ImportSink> {
  const base = remote.url.replace(/\/+$/, '');
  const taxii = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    send(remote, url, { ...init, headers: { accept: TAXII_MEDIA_TYPE, ...(init.headers ?? {}) } });
  const discovery = (await taxii(`${base}/taxii2/`)) as { api_roots?: string[] };
  let objectsUrl: string | undefined;
  for (const root of discovery.api_roots ?? []) {
    const collectionUrl = `${new URL(root, `${base}/`).href.replace(/\/?$/, '/')}collections/${encodeURIComponent(collectionId)}/`;
    const found = await taxii(collectionUrl).catch((error: unknown) => {
      if (isHubError(error) && error.httpStatus === 404) return undefined;
      throw error;
    });
    if (found === undefined) continue;
    if ((found as { can_write?: unknown }).can_write !== true) throw new Error(`the credentials may not write to collection ${collectionId}`);
    objectsUrl = `${collectionUrl}objects/`;
    break;
  }
  if (objectsUrl === undefined) throw new Error(`there is no collection ${collectionId} that these credentials can see (--collection)`);
  const target = objectsUrl;
  return {
    async submit(document) {
      const body = (await send(remote, `${base}${HUB_API_PREFIX}/submissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(document) })) as {
        collection: string;
        summary: { created: number; updated: number; unchanged: number; rejected: number };
        indicators: never[];
      };
      return { collectionId: body.collection, summary: body.summary, items: body.indicators };
    },
    async addObjects(objects) {
      const status = (await taxii(target, { method: 'POST', headers: { 'content-type': TAXII_MEDIA_TYPE }, body: JSON.stringify({ objects }) })) as { successes?: StatusDetail[]; failures?: StatusDetail[] };
      return { successes: status.successes ?? [], failures: status.failures ?? [] };
    },
  };
}

/** One request; a 4xx becomes the HubError it stands for (a file failure), a 5xx an Error (the end). */
async function send(remote: Remote, url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<unknown> {
  const answer = await requestHub(remote.url, url, remote.authorization, init);
  if (answer.ok) return answer.body;
  const { message, problems } = answer.error;
  if (answer.status >= 400 && answer.status < 500) {
    const detail = problems.length > 0 ? `${message}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}` : message;
    throw hubError(codeFor(answer.status), { description: detail, problems });
  }
  throw new Error(`the hub answered ${answer.status}: ${message}`);
}

function codeFor(status: number): ErrorCode {
  const match = (Object.entries(ERROR_CATALOG) as [ErrorCode, { httpStatus: number }][]).find(([, entry]) => entry.httpStatus === status);
  return match?.[0] ?? 'BAD_REQUEST';
}

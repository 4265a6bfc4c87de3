import { ERROR_CATALOG, hubError, isHubError, type ErrorCode } from '../../domain/errors';
import { HUB_API_PREFIX } from '../../http/route-table';
import { TAXII_MEDIA_TYPE } from '../../http/taxii21/media-types';
import type { StatusDetail } from '../../storage/status-store';
import { requestHub } from '../admin/hub-request';
import type { HubEndpoint } from '../admin/remote-hub';
import type { ImportSink } from './import-runner';

/**
 * An import sink over a running hub's HTTP APIs (at a URL, or on its local socket): STIX objects
 * through TAXII 2.1 Add Objects, unified submissions through POST /api/submissions, with the
 * credentials' user (on the socket: the --as user) as the provider. What the hub refuses (a 4xx)
 * fails the file; an unreachable hub or a 5xx ends the import.
 */

type Remote = HubEndpoint;

/**
 * Finds the collection (by id or alias) in an API root through discovery and checks that the
 * credentials may write to it; returns the sink and the collection's id.
 */
export async function openRemoteSink(remote: Remote, collection: string): Promise<{ sink: ImportSink; collectionId: string }> {
  const base = remote.url.replace(/\/+$/, '');
  const taxii = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    send(remote, url, { ...init, headers: { accept: TAXII_MEDIA_TYPE, ...(init.headers ?? {}) } });
  const discovery = (await taxii(`${base}/taxii2/`)) as { api_roots?: string[] };
  let objectsUrl: string | undefined;
  let collectionId: string | undefined;
  for (const root of discovery.api_roots ?? []) {
    const collectionUrl = `${new URL(root, `${base}/`).href.replace(/\/?$/, '/')}collections/${encodeURIComponent(collection)}/`;
    const found = await taxii(collectionUrl).catch((error: unknown) => {
      if (isHubError(error) && error.httpStatus === 404) return undefined;
      throw error;
    });
    if (found === undefined) continue;
    const { can_write: canWrite, id } = found as { can_write?: unknown; id?: unknown };
    if (canWrite !== true) throw new Error(`${remote.actAs ?? 'the credentials'} may not write to collection ${collection}`);
    // Objects go to the collection's own URL (its id): an alias names it only for this look-up.
    collectionId = typeof id === 'string' ? id : collection;
    objectsUrl = `${new URL(root, `${base}/`).href.replace(/\/?$/, '/')}collections/${encodeURIComponent(collectionId)}/objects/`;
    break;
  }
  if (objectsUrl === undefined || collectionId === undefined) throw new Error(`there is no collection ${collection} that ${remote.actAs ?? 'these credentials'} can see (--collection)`);
  const target = objectsUrl;
  const sink: ImportSink = {
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
  return { sink, collectionId };
}

/** One request; a 4xx becomes the HubError it stands for (a file failure), a 5xx an Error (the end). */
async function send(remote: Remote, url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<unknown> {
  const answer = await requestHub(remote, url, init);
  if (answer.ok) return answer.body;
  const { message, problems } = answer.error;
  // The runner prints the message and each problem it does not already spell out, once.
  if (answer.status >= 400 && answer.status < 500) throw hubError(codeFor(answer.status), { description: message, problems });
  throw new Error(`the hub answered ${answer.status}: ${message}`);
}

function codeFor(status: number): ErrorCode {
  const match = (Object.entries(ERROR_CATALOG) as [ErrorCode, { httpStatus: number }][]).find(([, entry]) => entry.httpStatus === status);
  return match?.[0] ?? 'BAD_REQUEST';
}

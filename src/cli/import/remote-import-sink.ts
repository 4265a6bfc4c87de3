import { ERROR_CATALOG, hubError, type ErrorCode, type FieldProblem, type HubError } from '../../domain/errors';
import { HUB_API_PREFIX } from '../../http/route-table';
import { TAXII_MEDIA_TYPE } from '../../http/taxii21/media-types';
import type { StatusDetail } from '../../storage/status-store';
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
  const taxii = (path: string, init: RequestInit = {}) => send(remote, path.startsWith('http') ? path : base + path, { ...init, headers: { accept: TAXII_MEDIA_TYPE, ...(init.headers ?? {}) } });
  const discovery = (await taxii('/taxii2/')) as { api_roots?: string[] };
  let objectsUrl: string | undefined;
  for (const root of discovery.api_roots ?? []) {
    const rootUrl = new URL(root, `${base}/`).href.replace(/\/?$/, '/');
    const found = await taxii(`${rootUrl}collections/${encodeURIComponent(collectionId)}/`).catch((error: unknown) => {
      if (isRefusal(error, 404)) return undefined;
      throw error;
    });
    if (found === undefined) continue;
    if ((found as { can_write?: unknown }).can_write !== true) throw new Error(`the credentials may not write to collection ${collectionId}`);
    objectsUrl = `${rootUrl}collections/${encodeURIComponent(collectionId)}/objects/`;
    break;
  }
  if (objectsUrl === undefined) throw new Error(`there is no collection ${collectionId} that these credentials can see (--collection)`);
  const target = objectsUrl;
  return {
    async submit(document) {
      const body = (await send(remote, base + HUB_API_PREFIX + '/submissions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(document) })) as {
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

function isRefusal(error: unknown, status: number): boolean {
  return error instanceof Error && (error as Partial<HubError>).httpStatus === status;
}

/** One request; a 4xx becomes the HubError it stands for (a file failure), anything else an Error. */
async function send(remote: Remote, url: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { authorization: remote.authorization, ...(init.headers ?? {}) } });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot reach the hub at ${remote.url} (${cause?.code ?? cause?.message ?? String(error)})`, { cause: error });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new Error(`${url} answered ${response.status} with a body that is not JSON; is --url the hub's address?`);
  }
  if (response.ok) return body;
  const { message, problems } = errorOf(body);
  const reason = message ?? `${response.status} ${response.statusText}`;
  if (response.status >= 400 && response.status < 500) {
    const detail = problems.length > 0 ? `${reason}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}` : reason;
    throw hubError(codeFor(response.status), { description: detail, problems });
  }
  throw new Error(`the hub answered ${response.status}: ${reason}`);
}

/** The message of an admin/hub API error ({error: {message, problems}}) or a TAXII error resource ({title, description}). */
function errorOf(body: unknown): { message?: string; problems: FieldProblem[] } {
  const record = (typeof body === 'object' && body !== null ? body : {}) as { error?: { message?: string; problems?: FieldProblem[] }; title?: string; description?: string };
  if (record.error !== undefined) return { ...(record.error.message !== undefined ? { message: record.error.message } : {}), problems: record.error.problems ?? [] };
  const message = record.description ?? record.title;
  return { ...(message !== undefined ? { message } : {}), problems: [] };
}

function codeFor(status: number): ErrorCode {
  const match = (Object.entries(ERROR_CATALOG) as [ErrorCode, { httpStatus: number }][]).find(([, entry]) => entry.httpStatus === status);
  return match?.[0] ?? 'BAD_REQUEST';
}

import { errorOf } from '../../admin/hub-request';

/**
 * What the mirror reads from a hub: TAXII 2.1 (discovery, collections, objects pages) for the
 * contents, and the hub API's change feed (GET /api/collections/{c}/changes) for the removals TAXII
 * cannot express. Plain fetch; every failure is an Error that says which request and why.
 */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

/** One collection the credentials can read, where its TAXII API root is. */
export interface RemoteCollection {
  readonly id: string;
  readonly title: string;
  readonly alias?: string;
  readonly apiRoot: string;
}

export interface ObjectsPage {
  readonly objects: readonly Record<string, unknown>[];
  readonly more: boolean;
  readonly next?: string;
  /** X-TAXII-Date-Added-Last: the date_added of the last object in the page (absent when empty). */
  readonly dateAddedLast?: string;
}

export interface ChangeEventJson {
  readonly position: number;
  readonly operation: string;
  readonly object_id: string;
  readonly type: string;
  readonly version: string;
  readonly object?: Record<string, unknown>;
}

export interface ChangesPage {
  readonly events: readonly ChangeEventJson[];
  readonly cursor: string;
  readonly more: boolean;
}

export class HttpStatusError extends Error {
  constructor(readonly status: number, readonly url: string, readonly detail: string) {
    super(`${url} answered ${status}${detail === '' ? '' : `: ${detail}`}`);
    this.name = 'HttpStatusError';
  }
}

export interface MirrorHttp {
  readableCollections(): Promise<RemoteCollection[]>;
  objects(collection: RemoteCollection, query: { readonly types: readonly string[]; readonly limit: number; readonly addedAfter?: string; readonly next?: string }): Promise<ObjectsPage>;
  /** undefined when the server has no change feed (404 on the route: not a taxii-hub). */
  changes(collectionId: string, query: { readonly cursor?: string; readonly from?: 'now'; readonly types: readonly string[]; readonly limit: number }): Promise<ChangesPage | undefined>;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** What an error answer says (hub API or TAXII error resource), or the start of a body that is not JSON. */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    return errorOf(JSON.parse(text) as unknown, '').message;
  } catch {
    return text.slice(0, 200);
  }
}

/**
 * `url` is the hub's base URL (its TAXII discovery is `<url>/taxii2/`, its hub API `<url>/api/`), or
 * a TAXII discovery URL itself (a server other than taxii-hub).
 */
export function createMirrorHttp(url: string, authorization: string): MirrorHttp {
  const base = url.replace(/\/+$/, '').replace(/\/taxii2$/, '');
  const get = async (target: string, accept: string): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(target, { headers: { Authorization: authorization, Accept: accept } });
    } catch (error) {
      throw new Error(`${target}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`, { cause: error });
    }
    return response;
  };
  const getJson = async <T>(target: string, accept = TAXII_MEDIA_TYPE): Promise<{ body: T; headers: Headers }> => {
    const response = await get(target, accept);
    if (!response.ok) throw new HttpStatusError(response.status, target, await errorDetail(response));
    return { body: (await response.json()) as T, headers: response.headers };
  };

  return {
    async readableCollections() {
      const discovery = `${base}/taxii2/`;
      const { body } = await getJson<{ api_roots?: unknown }>(discovery);
      const roots = Array.isArray(body.api_roots) ? body.api_roots.filter((r): r is string => typeof r === 'string') : [];
      const found: RemoteCollection[] = [];
      for (const root of roots) {
        const apiRoot = withSlash(new URL(root, discovery).toString());
        const { body: listed } = await getJson<{ collections?: { id?: unknown; title?: unknown; alias?: unknown; can_read?: unknown }[] }>(`${apiRoot}collections/`);
        for (const c of listed.collections ?? []) {
          if (c.can_read !== true || typeof c.id !== 'string') continue;
          found.push({ id: c.id, title: typeof c.title === 'string' ? c.title : c.id, ...(typeof c.alias === 'string' ? { alias: c.alias } : {}), apiRoot });
        }
      }
      return found;
    },

    async objects(collection, query) {
      const params = new URLSearchParams();
      params.set('match[type]', query.types.join(','));
      params.set('limit', String(query.limit));
      if (query.addedAfter !== undefined) params.set('added_after', query.addedAfter);
      if (query.next !== undefined) params.set('next', query.next);
      const { body, headers } = await getJson<{ objects?: Record<string, unknown>[]; more?: unknown; next?: unknown }>(`${collection.apiRoot}collections/${encodeURIComponent(collection.id)}/objects/?${params.toString()}`);
      const last = headers.get('X-TAXII-Date-Added-Last');
      return {
        objects: body.objects ?? [],
        more: body.more === true,
        ...(typeof body.next === 'string' ? { next: body.next } : {}),
        ...(last !== null ? { dateAddedLast: last } : {}),
      };
    },

    async changes(collectionId, query) {
      const params = new URLSearchParams();
      if (query.cursor !== undefined) params.set('cursor', query.cursor);
      if (query.from !== undefined) params.set('from', query.from);
      params.set('types', query.types.join(','));
      params.set('limit', String(query.limit));
      const target = `${base}/api/collections/${encodeURIComponent(collectionId)}/changes?${params.toString()}`;
      const response = await get(target, 'application/json');
      // Only collections just read over TAXII are asked for, and a hub decides the change feed's
      // access as TAXII reads: a 404 here is a server without the route, not a missing collection.
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) throw new HttpStatusError(response.status, target, await errorDetail(response));
      return (await response.json()) as ChangesPage;
    },
  };
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hubError, type HubError } from '../domain/errors';
import type { VersionMatch } from '../domain/object-filters';
import type { SecretStore } from '../storage/secret-store';

/**
 * TAXII 2.1 `next` tokens (§3.4, §3.7): stateless and signed. A token is
 * `base64url(JSON cursor) "." base64url(HMAC-SHA256(key, first part))`, where the cursor names the
 * endpoint, collection and object it was issued for, the request's filters (defaults applied), its
 * page size and the date_added of the last version delivered. Nothing is kept per token, so a token
 * works on every hub process over the same database and after restarts; the key lives in
 * hub_secrets, created by whichever process needs it first.
 */

export const NEXT_TOKEN_KEY_NAME = 'next-token-key';

export type PagedEndpoint = 'objects' | 'object' | 'versions' | 'manifest';

/** A request's filters with the endpoint's defaults applied: what a follow-up request must not contradict. */
export interface PageFilters {
  readonly addedAfter?: number;
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  readonly versions: VersionMatch;
  /** Absent: the latest spec version of each object. */
  readonly specVersions?: readonly string[];
}

export interface PageCursor {
  readonly endpoint: PagedEndpoint;
  readonly collectionId: string;
  /** For Get an Object and Get Object Versions. */
  readonly objectId?: string;
  readonly filters: PageFilters;
  readonly limit: number;
  /** The date_added of the last version delivered; the next page starts strictly after it. */
  readonly after: number;
}

export interface NextTokenCodec {
  seal(cursor: PageCursor): Promise<string>;
  /** The cursor a token carries; BAD_REQUEST for anything this hub did not issue (or that was altered). */
  open(token: string): Promise<PageCursor>;
}

export function createNextTokenCodec(secrets: SecretStore): NextTokenCodec {
  let key: Promise<Buffer> | undefined;
  const loadKey = (): Promise<Buffer> => {
    key ??= secrets
      .getOrCreate(NEXT_TOKEN_KEY_NAME, () => randomBytes(32).toString('base64'))
      .then((value) => Buffer.from(value, 'base64'))
      .catch((error: unknown) => {
        key = undefined; // a database hiccup must not poison every later request
        throw error;
      });
    return key;
  };
  const sign = (secret: Buffer, body: string) => createHmac('sha256', secret).update(body).digest();

  return {
    async seal(cursor) {
      const body = Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
      return `${body}.${sign(await loadKey(), body).toString('base64url')}`;
    },

    async open(token) {
      const [body, signature, extra] = token.split('.');
      if (body === undefined || signature === undefined || extra !== undefined) throw invalidToken();
      const expected = sign(await loadKey(), body);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidToken();
      let cursor: unknown;
      try {
        cursor = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        throw invalidToken();
      }
      if (!isPageCursor(cursor)) throw invalidToken();
      return cursor;
    },
  };
}

function invalidToken(): HubError {
  return hubError('BAD_REQUEST', 'The next parameter is not a token this server issued, or it was altered');
}

// The signature already proves the hub wrote the token; this guards against a token of another
// shape written by an older or newer hub with the same key.
const ENDPOINTS: readonly string[] = ['objects', 'object', 'versions', 'manifest'];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
const isInteger = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);

function isVersionMatch(v: unknown): v is VersionMatch {
  if (!isRecord(v)) return false;
  if (v.kind === 'all') return true;
  return v.kind === 'some' && typeof v.first === 'boolean' && typeof v.last === 'boolean' && Array.isArray(v.at) && v.at.every(isInteger);
}

function isPageCursor(v: unknown): v is PageCursor {
  if (!isRecord(v) || !isRecord(v.filters)) return false;
  const f = v.filters;
  return (
    typeof v.endpoint === 'string' &&
    ENDPOINTS.includes(v.endpoint) &&
    typeof v.collectionId === 'string' &&
    (v.objectId === undefined || typeof v.objectId === 'string') &&
    isInteger(v.limit) &&
    isInteger(v.after) &&
    (f.addedAfter === undefined || isInteger(f.addedAfter)) &&
    isStringList(f.ids) &&
    isStringList(f.types) &&
    isStringList(f.specVersions) &&
    isVersionMatch(f.versions)
  );
}

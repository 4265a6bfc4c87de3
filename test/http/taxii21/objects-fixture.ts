import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { TAXII_MEDIA_TYPE } from '../../../src/http/taxii21/media-types';
import type { TlpLevel } from '../../../src/domain/tenancy';
import { parseMicros } from '../../../src/domain/timestamps';
import type { NewObjectVersion } from '../../../src/storage/object-store';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import type { Database } from '../../../src/storage/sql/database';
import { demoAuth } from '../support/demo-config-hub';

/**
 * Object versions for the TAXII read tests, stored straight through the object store (as the POST
 * path stores them), so reads are tested on their own.
 */

export const TAXII = 'application/taxii+json;version=2.1';

export interface VersionSpec {
  readonly id: string;
  readonly modified: string;
  readonly provider: string;
  readonly tlp: TlpLevel;
  readonly recipients?: readonly string[];
  readonly specVersion?: string;
  /** An object without created/modified (an SCO): stored with version 0. */
  readonly unversioned?: boolean;
}

export function stixVersion(spec: VersionSpec): NewObjectVersion {
  const type = spec.id.split('--')[0] ?? 'indicator';
  const specVersion = spec.specVersion ?? '2.1';
  const object: Record<string, unknown> = spec.unversioned
    ? { type, spec_version: specVersion, id: spec.id, value: '198.51.100.7' }
    : {
        type,
        ...(specVersion === '2.1' ? { spec_version: specVersion } : {}),
        id: spec.id,
        created: '2026-01-01T00:00:00.000Z',
        modified: spec.modified,
        name: `${spec.provider} ${spec.tlp} ${spec.modified}`,
        x_acme_custom: { kept: [1, 2, 3] },
      };
  return {
    id: spec.id,
    type,
    specVersion,
    version: spec.unversioned ? 0 : (parseMicros(spec.modified) ?? 0),
    providerOrgId: spec.provider,
    tlp: spec.tlp,
    recipients: spec.recipients ?? [],
    object,
  };
}

export const newId = (type = 'indicator') => `${type}--${randomUUID()}`;

/** Stores the versions in one append (one transaction); returns their date_added values. */
export async function seed(db: Database, collectionId: string, ...specs: VersionSpec[]): Promise<number[]> {
  const outcomes = await new SqlObjectStore(db).append(collectionId, specs.map(stixVersion), Date.now() * 1000);
  return outcomes.map((o) => o.dateAdded);
}

export const get = (app: Express, path: string, username: string) => request(app).get(path).set('Authorization', demoAuth(username)).set('Accept', TAXII_MEDIA_TYPE);
export const del = (app: Express, path: string, username: string) => request(app).delete(path).set('Authorization', demoAuth(username)).set('Accept', TAXII_MEDIA_TYPE);

export function json(res: request.Response): Record<string, unknown> {
  return JSON.parse(res.text) as Record<string, unknown>;
}

export function objectsOf(res: request.Response): Record<string, unknown>[] {
  return (json(res).objects as Record<string, unknown>[] | undefined) ?? [];
}

/** `id@modified` of each object of an envelope, in order. */
export function versionsOf(res: request.Response): string[] {
  return objectsOf(res).map((o) => `${String(o.id)}@${String(o.modified ?? '-')}`);
}

/** Follows `next` until `more` is false; every page must carry `next` exactly when `more` is true. */
export async function followNext(app: Express, path: string, username: string): Promise<request.Response[]> {
  const pages: request.Response[] = [];
  let url = path;
  for (;;) {
    const res = await get(app, url, username);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.text}`);
    pages.push(res);
    const body = json(res);
    expect(body.next !== undefined).toBe(body.more === true);
    if (body.more !== true) return pages;
    url = `${path}${path.includes('?') ? '&' : '?'}next=${encodeURIComponent(String(body.next))}`;
    if (pages.length > 500) throw new Error('paging does not end');
  }
}

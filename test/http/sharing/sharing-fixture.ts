import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { markingRefFor } from '../../../src/domain/tlp';
import type { TlpLevel } from '../../../src/domain/tenancy';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { TAXII_MEDIA_TYPE } from '../../../src/http/taxii21/media-types';
import { demoAuth, type DemoConfigHub } from '../support/demo-config-hub';
import { get, json, objectsOf } from '../taxii21/objects-fixture';
import { indicator } from '../../support/stix-fixtures';

/** Helpers of the sharing-rule tests: submissions, TAXII posts and polls over the demo hub. */

export const UUID4 = /^[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function sharingClient(hub: DemoConfigHub, collection: string) {
  const taxii = `/demo/collections/${collection}`;
  return {
    taxii,
    submit: (username: string, body: Record<string, unknown>) =>
      request(hub.app).post('/api/submissions').set('Authorization', demoAuth(username)).set('Content-Type', 'application/json')
        .send(JSON.stringify({ collection, valid_from: '2026-11-01T00:00:00Z', ...body })),
    post: (username: string, objects: readonly unknown[]) =>
      request(hub.app).post(`${taxii}/objects/`).set('Authorization', demoAuth(username)).set('Accept', TAXII_MEDIA_TYPE).set('Content-Type', TAXII_MEDIA_TYPE)
        .send(JSON.stringify({ objects })),
    /** Every object version `username` may read (all versions of every object), in date_added order. */
    async everything(username: string): Promise<Record<string, unknown>[]> {
      const res = await get(hub.app, `${taxii}/objects/?match[version]=all&limit=10000`, username);
      if (res.status !== 200) throw new Error(`GET objects as ${username}: ${res.status} ${res.text}`);
      return objectsOf(res);
    },
    /** An incremental poll: the latest versions added after `after` (a date_added header value). */
    async poll(username: string, after?: string): Promise<{ objects: Record<string, unknown>[]; last?: string }> {
      const res = await get(hub.app, `${taxii}/objects/?limit=10000${after ? `&added_after=${after}` : ''}`, username);
      if (res.status !== 200) throw new Error(`poll as ${username}: ${res.status} ${res.text}`);
      const last = res.headers['x-taxii-date-added-last'] as string | undefined;
      return { objects: objectsOf(res), ...(last !== undefined ? { last } : after !== undefined ? { last: after } : {}) };
    },
  };
}

export function stixIndicator(tlp: TlpLevel | undefined, fields: Record<string, unknown> = {}, recipients: readonly string[] = []): Record<string, unknown> {
  return indicator({
    created: '2026-11-01T00:00:00.000Z',
    modified: '2026-11-01T00:00:00.000Z',
    pattern: `[ipv4-addr:value = '198.51.100.${Math.floor(Math.random() * 250)}']`,
    valid_from: '2026-11-01T00:00:00Z',
    ...(tlp !== undefined ? { object_marking_refs: [markingRefFor(tlp)] } : {}),
    ...(tlp === 'red' ? { extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', red_recipients: [...recipients] } } } : {}),
    ...fields,
  });
}

export function relationship(source: string, target: string, tlp: TlpLevel, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--${randomUUID()}`,
    created: '2026-11-01T00:00:00.000Z',
    modified: '2026-11-01T00:00:00.000Z',
    relationship_type: 'related-to',
    source_ref: source,
    target_ref: target,
    object_marking_refs: [markingRefFor(tlp)],
    ...fields,
  };
}

/** The ids an object names (`*_ref`, `*_refs`, at any depth). */
export function namedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) namedIds(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, property] of Object.entries(value)) {
      if (key.endsWith('_ref') && typeof property === 'string') into.add(property);
      else if (key.endsWith('_refs') && Array.isArray(property)) for (const id of property) if (typeof id === 'string') into.add(id);
      else namedIds(property, into);
    }
  }
  return into;
}

/**
 * The references in what `username` reads that point at an object stored in the collection which
 * `username` may not read (every id the operator can read is "stored").
 */
export async function unreadableReferences(client: ReturnType<typeof sharingClient>, username: string): Promise<string[]> {
  const stored = new Set((await client.everything('operator')).map((o) => String(o.id)));
  const readable = await client.everything(username);
  const mine = new Set(readable.map((o) => String(o.id)));
  const bad: string[] = [];
  for (const object of readable) {
    for (const id of namedIds(object)) if (stored.has(id) && !mine.has(id)) bad.push(`${String(object.id)} -> ${id}`);
  }
  return bad;
}

export const itemsOf = (res: request.Response) => json(res).indicators as { outcome: string; id: string; message?: string }[];
export const statusOf = (res: request.Response) => json(res) as { successes?: { id: string; message?: string }[]; failures?: { id: string; message: string }[] };

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { ERROR_CATALOG, type ErrorCode } from '../../../src/domain/errors';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { TAXII_MEDIA_TYPE } from '../../../src/http/taxii21/media-types';
import { composeHubApp } from '../../../src/hub-composition';
import type { Database, EngineName } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { DEMO_COLLECTIONS, applyDemoConfig } from '../../support/demo-config';
import { openTestDatabase } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';

/**
 * The hostile-input corpus: every JSON route that takes a body, each with a place for a hostile JSON
 * fragment inside an otherwise valid document, how the route answers errors, and how to tell whether
 * the write happened. Each test file is one class of hostile input, run on every route.
 */

/** Body limits small enough to test both sides of. */
export const LIMITS = { taxii: 512 * 1024, admin: 128 * 1024, submissions: 256 * 1024 } as const;

export interface HostileHub {
  readonly app: Express;
  readonly db: Database;
  /** The app listening on a loopback port, for bodies sent byte for byte. */
  readonly server: http.Server;
  close(): Promise<void>;
}

/** An answer as the client received it. */
export interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly text: string;
  /** The body parsed as JSON. */
  readonly body: unknown;
}

/** The real app over a fresh database holding the demo configuration, with LIMITS. */
export async function startHostileHub(engine: EngineName): Promise<HostileHub> {
  const db = await openTestDatabase(engine);
  const store = createSqlTenancyStore(db);
  const config = await applyDemoConfig(store);
  const root = await store.apiRoots.get('demo');
  if (root === undefined) throw new Error('the demo config has no API root demo');
  await store.apiRoots.update({ ...root, maxContentLength: LIMITS.taxii });
  const app = composeHubApp({
    db,
    store,
    hub: config.hub,
    settings: { bodyLimitBytes: LIMITS.admin, submissionLimitBytes: LIMITS.submissions, trustProxy: false },
    logger: createLogger('silent'),
    metrics: createMetrics(),
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    app,
    db,
    server,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/**
 * POSTs `body` exactly as given (supertest would re-serialise a Buffer sent with a JSON media type).
 */
export function postBytes(hub: HostileHub, path: string, headers: Readonly<Record<string, string>>, body: Buffer): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: (hub.server.address() as AddressInfo).port, path, method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A request sent with a hostile fragment: the answer, and whether anything of it was stored. */
export interface Sent {
  readonly res: Answer;
  stored(): Promise<boolean>;
}

export interface HostileRoute {
  readonly name: string;
  readonly form: 'taxii' | 'json';
  /** Where the fragment sits, as the hub names the place. */
  readonly at: string;
  /** The body limit of the route, and the status of a successful write. */
  readonly limit: number;
  readonly created: number;
  /**
   * Posts the document with `fragment` (JSON text or raw bytes) as the hostile value, padded with
   * trailing spaces to `size` bytes when given.
   */
  send(hub: HostileHub, fragment: string | Buffer, size?: number): Promise<Sent>;
}

/** A document for one route: its bytes, where it goes, and how to tell that it was stored. */
interface Document {
  readonly body: Buffer;
  post(hub: HostileHub, body: Buffer): Promise<Answer>;
  stored(hub: HostileHub): Promise<boolean>;
}

function route(spec: Omit<HostileRoute, 'send'> & { document(fragment: string | Buffer): Document }): HostileRoute {
  return {
    ...spec,
    async send(hub, fragment, size) {
      const document = spec.document(fragment);
      const padding = size === undefined ? 0 : size - document.body.length;
      if (padding < 0) throw new Error(`the document is already ${document.body.length} bytes`);
      const res = await document.post(hub, Buffer.concat([document.body, Buffer.from(' '.repeat(padding))]));
      return { res, stored: () => document.stored(hub) };
    },
  };
}

const bytes = (...parts: (string | Buffer)[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

export const TAXII_OBJECTS = `/demo/collections/${DEMO_COLLECTIONS.acmeInternal}/objects/`;

/** A valid indicator's JSON text with `"x_hostile": <fragment>` as its last property. */
export function indicatorText(id: string, fragment: string | Buffer): Buffer {
  const head = JSON.stringify({
    type: 'indicator', spec_version: '2.1', id, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
    pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z',
  });
  return bytes(head.slice(0, -1), ',"x_hostile":', fragment, '}');
}

export const postTaxii = (hub: HostileHub, body: Buffer): Promise<Answer> =>
  postBytes(hub, TAXII_OBJECTS, { Authorization: demoAuth('bob'), Accept: TAXII_MEDIA_TYPE, 'Content-Type': TAXII_MEDIA_TYPE }, body);

/** The stored object with this id as bob reads it over TAXII, or undefined (404). */
export async function readTaxiiObject(hub: HostileHub, id: string): Promise<Record<string, unknown> | undefined> {
  const res = await request(hub.app).get(`${TAXII_OBJECTS}${id}/`).set('Authorization', demoAuth('bob')).set('Accept', TAXII_MEDIA_TYPE);
  if (res.status === 404) return undefined;
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as { objects: Record<string, unknown>[] }).objects[0];
}

export const taxiiObjectStored = async (hub: HostileHub, id: string): Promise<boolean> => (await readTaxiiObject(hub, id)) !== undefined;

/**
 * Posts one indicator whose x_hostile is `fragment` (JSON text) and reads it back: what the hub
 * stored of x_hostile, parsed, or undefined when the post was refused or the object failed.
 */
export async function roundTrip(hub: HostileHub, fragment: string): Promise<{ res: Answer; stored: unknown }> {
  const id = `indicator--${randomUUID()}`;
  const res = await postTaxii(hub, bytes('{"objects":[', indicatorText(id, fragment), ']}'));
  const object = await readTaxiiObject(hub, id);
  return { res, stored: object === undefined ? undefined : object.x_hostile };
}

const postJson = (hub: HostileHub, path: string, username: string, body: Buffer): Promise<Answer> =>
  postBytes(hub, path, { Authorization: demoAuth(username), 'Content-Type': 'application/json' }, body);

export const ROUTES: readonly HostileRoute[] = [
  route({
    name: 'TAXII 2.1 Add Objects',
    form: 'taxii',
    at: 'objects[0].x_hostile',
    limit: LIMITS.taxii,
    created: 202,
    document(fragment) {
      const id = `indicator--${randomUUID()}`;
      return { body: bytes('{"objects":[', indicatorText(id, fragment), ']}'), post: postTaxii, stored: (hub) => taxiiObjectStored(hub, id) };
    },
  }),
  route({
    name: 'hub API submission',
    form: 'json',
    at: 'description',
    limit: LIMITS.submissions,
    created: 200,
    document(fragment) {
      const value = `hostile-${randomUUID()}.example`;
      const head = JSON.stringify({ collection: DEMO_COLLECTIONS.acmeInternal, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value }] });
      return {
        body: bytes(head.slice(0, -1), ',"description":', fragment, '}'),
        post: (hub, body) => postJson(hub, '/api/submissions', 'bob', body),
        stored: async (hub) => (await hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator_keys WHERE value = $1', [value])).rows[0]?.n !== 0,
      };
    },
  }),
  route({
    name: 'admin API organization',
    form: 'json',
    at: 'name',
    limit: LIMITS.admin,
    created: 201,
    document(fragment) {
      const id = `hostile-${randomUUID().slice(0, 8)}`;
      return {
        body: bytes(`{"id":"${id}","name":`, fragment, '}'),
        post: (hub, body) => postJson(hub, '/admin/api/organizations', 'operator', body),
        stored: async (hub) => (await request(hub.app).get(`/admin/api/organizations/${id}`).set('Authorization', demoAuth('operator'))).status === 200,
      };
    },
  }),
];

/** Rows of every table a write can reach; equal before and after a refused request. */
export async function storedRows(db: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['stix_objects', 'indicator_keys', 'organizations', 'audit_log', 'taxii_statuses']) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = rows[0]?.n ?? -1;
  }
  return counts;
}

/**
 * The answer is exactly the catalogued error in the route's form (TAXII error resource or JSON
 * error), with this message, and nothing of the request was stored.
 */
export async function expectRefused(
  hub: HostileHub,
  route: HostileRoute,
  sent: Sent,
  code: ErrorCode,
  message: string,
  before: Record<string, number>,
  problems?: readonly { path: string; message: string }[],
): Promise<void> {
  const { httpStatus, title } = ERROR_CATALOG[code];
  const { res } = sent;
  if (route.form === 'taxii') {
    expect([res.status, res.contentType]).toEqual([httpStatus, TAXII_MEDIA_TYPE]);
    expect(res.body).toEqual({ title, description: message, error_code: code, http_status: String(httpStatus), ...(problems ? { details: { problems } } : {}) });
  } else {
    expect([res.status, res.contentType]).toEqual([httpStatus, 'application/json; charset=utf-8']);
    expect(res.body).toEqual({ error: { code, title, message, ...(problems ? { problems } : {}) } });
  }
  expect(await sent.stored()).toBe(false);
  expect(await storedRows(hub.db)).toEqual(before);
}

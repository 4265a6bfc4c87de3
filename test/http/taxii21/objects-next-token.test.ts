import type { Express } from 'express';
import type request from 'supertest';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHubApp } from '../../../src/hub-composition';
import { NEXT_TOKEN_KEY_NAME } from '../../../src/services/next-token';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { TAXII, get, json, newId, objectsOf, seed } from './objects-fixture';

const OBJECTS = `/demo/collections/${DEMO_COLLECTIONS.acmeInternal}/objects/`;
const MANIFEST = `/demo/collections/${DEMO_COLLECTIONS.acmeInternal}/manifest/`;

let hub: DemoConfigHub;
/** A second hub process over the same database: its own services, caches and token codec. */
let other: Express;
const indicators: string[] = [];
beforeAll(async () => {
  hub = await startDemoConfigHub();
  for (let n = 0; n < 5; n++) {
    const id = newId();
    indicators.push(id);
    await seed(hub.db, DEMO_COLLECTIONS.acmeInternal, { id, modified: '2026-04-01T00:00:00.000Z', provider: 'acme-hq', tlp: 'green' });
    await seed(hub.db, DEMO_COLLECTIONS.acmeInternal, { id: newId('malware'), modified: '2026-04-01T00:00:00.000Z', provider: 'acme-hq', tlp: 'green' });
  }
  other = composeHubApp({ db: hub.db, store: hub.store, hub: hub.config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
});
afterAll(() => hub.close());

const ids = (res: request.Response) => objectsOf(res).map((o) => o.id);
const nextOf = async (app: Express, path: string): Promise<string> => {
  const res = await get(app, path, 'carol');
  expect(json(res).more).toBe(true);
  return String(json(res).next);
};
const withNext = (path: string, token: string) => `${path}${path.includes('?') ? '&' : '?'}next=${encodeURIComponent(token)}`;

describe('TAXII 2.1 next tokens', () => {
  test('a token issued by one hub process continues on another over the same database', async () => {
    const token = await nextOf(hub.app, `${OBJECTS}?match[type]=indicator&limit=2`);
    const second = await get(other, withNext(`${OBJECTS}?match[type]=indicator`, token), 'carol');
    expect(second.status).toBe(200);
    expect(ids(second)).toEqual(indicators.slice(2, 4));
    const third = await get(hub.app, withNext(OBJECTS, String(json(second).next)), 'carol');
    expect(ids(third)).toEqual(indicators.slice(4));
    expect(json(third)).toEqual(expect.objectContaining({ more: false }));
    const { rows } = await hub.db.query<{ n: string }>('SELECT count(*) AS n FROM hub_secrets WHERE name = $1', [NEXT_TOKEN_KEY_NAME]);
    expect(rows[0]?.n).toBe('1');
  });

  test('filters omitted on a next request are taken from the token, and so is the page size', async () => {
    const token = await nextOf(hub.app, `${OBJECTS}?match[type]=indicator&limit=2`);
    const res = await get(hub.app, withNext(OBJECTS, token), 'carol');
    expect(ids(res)).toEqual(indicators.slice(2, 4));
  });

  test('a request may change the page size along the way', async () => {
    const token = await nextOf(hub.app, `${OBJECTS}?match[type]=indicator&limit=2`);
    expect(ids(await get(hub.app, withNext(`${OBJECTS}?limit=10`, token), 'carol'))).toEqual(indicators.slice(2));
  });

  test('filters that contradict the token are a 400 naming the parameter', async () => {
    const token = await nextOf(hub.app, `${OBJECTS}?match[type]=indicator&limit=2`);
    for (const [query, name] of [['match[type]=malware', 'match[type]'], ['match[version]=all', 'match[version]'], ['added_after=2026-01-01T00:00:00Z', 'added_after']]) {
      const res = await get(hub.app, withNext(`${OBJECTS}?${query}`, token), 'carol');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(json(res).description).toContain(name);
    }
    // Repeating the original values (the default match[version] spelled out) is fine.
    expect((await get(hub.app, withNext(`${OBJECTS}?match[type]=indicator&match[version]=last`, token), 'carol')).status).toBe(200);
  });

  test('an altered or foreign token is a 400', async () => {
    const token = await nextOf(hub.app, `${OBJECTS}?limit=2`);
    const [body = '', signature = ''] = token.split('.');
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString('utf8').replace('"limit":2', '"limit":3')).toString('base64url');
    for (const bad of [`${forged}.${signature}`, `${body}.${signature.slice(1)}`, 'garbage', `${body}.${signature}.x`]) {
      const res = await get(hub.app, withNext(OBJECTS, bad), 'carol');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(json(res)).toMatchObject({ error_code: 'BAD_REQUEST', http_status: '400' });
    }
  });

  test('a token is only good for the endpoint and collection it was issued for', async () => {
    const token = await nextOf(hub.app, `${OBJECTS}?limit=2`);
    expect((await get(hub.app, withNext(MANIFEST, token), 'carol')).status).toBe(400);
    expect((await get(hub.app, withNext(`/demo/collections/${DEMO_COLLECTIONS.allianceExchange}/objects/`, token), 'bob')).status).toBe(400);
    expect((await get(hub.app, withNext(`${OBJECTS}${indicators[0] ?? ''}/`, token), 'carol')).status).toBe(400);
  });

  test('the manifest pages with next as well', async () => {
    const token = await nextOf(hub.app, `${MANIFEST}?match[type]=indicator&limit=3`);
    const res = await get(other, withNext(MANIFEST, token), 'carol');
    expect(objectsOf(res).map((r) => r.id)).toEqual(indicators.slice(3));
  });
});

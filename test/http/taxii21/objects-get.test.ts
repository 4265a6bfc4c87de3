import request from 'supertest';
import { MAX_PAGE_LIMIT } from '../../../src/domain/object-filters';
import { formatMicros } from '../../../src/domain/timestamps';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { TAXII, followNext, get, json, newId, objectsOf, seed, versionsOf } from './objects-fixture';

const OBJECTS = `/demo/collections/${DEMO_COLLECTIONS.acmeInternal}/objects/`;

// acme-internal belongs to the vertical group acme-tree: acme-hq above its branches acme-east and
// acme-west. Unmarked objects there are AMBER.
const A = newId(); // acme-hq, AMBER: its branches read it
const B = newId(); // acme-east, AMBER: its parent reads it, its sibling acme-west does not
const C = newId(); // acme-east, GREEN, two versions
const D = newId(); // acme-east, RED for acme-west only
const E = newId('malware'); // acme-hq, CLEAR

let hub: DemoConfigHub;
let added: number[];
beforeAll(async () => {
  hub = await startDemoConfigHub();
  const collection = DEMO_COLLECTIONS.acmeInternal;
  added = [
    ...(await seed(hub.db, collection, { id: A, modified: '2026-01-02T00:00:00.000Z', provider: 'acme-hq', tlp: 'amber' })),
    ...(await seed(hub.db, collection, { id: B, modified: '2026-01-02T00:00:00.000Z', provider: 'acme-east', tlp: 'amber' })),
    ...(await seed(hub.db, collection, { id: C, modified: '2026-01-03T00:00:00.000Z', provider: 'acme-east', tlp: 'green' })),
    ...(await seed(hub.db, collection, { id: D, modified: '2026-01-02T00:00:00.000Z', provider: 'acme-east', tlp: 'red', recipients: ['acme-west'] })),
    ...(await seed(hub.db, collection, { id: C, modified: '2026-01-04T00:00:00.123456Z', provider: 'acme-east', tlp: 'green' })),
    ...(await seed(hub.db, collection, { id: E, modified: '2026-01-05T00:00:00.000Z', provider: 'acme-hq', tlp: 'clear' })),
  ];
});
afterAll(() => hub.close());

const ids = (res: request.Response) => objectsOf(res).map((o) => o.id);

describe('TAXII 2.1 Get Objects (GET …/collections/{id}/objects/)', () => {
  test('an envelope of the latest readable version of each object, by date_added, with the X-TAXII-Date-Added headers', async () => {
    const res = await get(hub.app, OBJECTS, 'carol');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(json(res).more).toBe(false);
    expect(json(res)).not.toHaveProperty('next');
    expect(versionsOf(res)).toEqual([`${A}@2026-01-02T00:00:00.000Z`, `${D}@2026-01-02T00:00:00.000Z`, `${C}@2026-01-04T00:00:00.123456Z`, `${E}@2026-01-05T00:00:00.000Z`]);
    expect(res.headers['x-taxii-date-added-first']).toBe(formatMicros(added[0] ?? 0));
    expect(res.headers['x-taxii-date-added-last']).toBe(formatMicros(added[5] ?? 0));
  });

  test('objects come back as stored, custom properties included', async () => {
    const res = await get(hub.app, `${OBJECTS}?match[id]=${A}`, 'carol');
    expect(objectsOf(res)).toEqual([
      { type: 'indicator', spec_version: '2.1', id: A, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-02T00:00:00.000Z', name: 'acme-hq amber 2026-01-02T00:00:00.000Z', x_acme_custom: { kept: [1, 2, 3] } },
    ]);
  });

  test("each consumer sees what its organization may read: a branch never sees its sibling's AMBER objects, but sees the head office's", async () => {
    expect(ids(await get(hub.app, OBJECTS, 'carol'))).toEqual([A, D, C, E]);
    expect(ids(await get(hub.app, OBJECTS, 'bob'))).toEqual([A, B, D, C, E]);
    expect(ids(await get(hub.app, OBJECTS, 'alice'))).toEqual([A, B, C, E]);
    expect(ids(await get(hub.app, OBJECTS, 'operator'))).toEqual([A, B, D, C, E]);
  });

  test('an organization outside the collection gets 404, exactly as for a collection that does not exist', async () => {
    const hidden = await get(hub.app, OBJECTS, 'erin');
    const missing = await get(hub.app, '/demo/collections/00000000-0000-4000-8000-000000000000/objects/', 'erin');
    expect(hidden.status).toBe(404);
    expect(hidden.headers['content-type']).toBe(TAXII);
    expect(json(hidden)).toMatchObject({ error_code: 'NOT_FOUND', http_status: '404' });
    expect(Object.keys(json(hidden)).sort()).toEqual(Object.keys(json(missing)).sort());
  });

  test('a provider-only client may not read: 403', async () => {
    const res = await get(hub.app, `/demo/collections/${DEMO_COLLECTIONS.isacFeed}/objects/`, 'heidi');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe(TAXII);
  });

  test('the collection may be named by its alias', async () => {
    expect(ids(await get(hub.app, '/demo/collections/acme-internal/objects/', 'carol'))).toEqual([A, D, C, E]);
  });

  test('an empty result is {"more":false}, without X-TAXII-Date-Added headers', async () => {
    for (const path of [`/demo/collections/${DEMO_COLLECTIONS.initechPrivate}/objects/`, `${OBJECTS}?match[type]=campaign`]) {
      const res = await get(hub.app, path, path.includes('campaign') ? 'carol' : 'frank');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(res.text).toBe('{"more":false}');
      expect(res.headers).not.toHaveProperty('x-taxii-date-added-first');
      expect(res.headers).not.toHaveProperty('x-taxii-date-added-last');
    }
  });
});

describe('Get Objects filters', () => {
  test('match[id] and match[type] take comma lists (a union), also percent-encoded', async () => {
    expect(ids(await get(hub.app, `${OBJECTS}?match[id]=${E},${A}`, 'carol'))).toEqual([A, E]);
    expect(ids(await get(hub.app, `${OBJECTS}?match%5Btype%5D=malware%2Cindicator`, 'carol'))).toEqual([A, D, C, E]);
    expect(ids(await get(hub.app, `${OBJECTS}?match[type]=malware`, 'carol'))).toEqual([E]);
    expect(ids(await get(hub.app, `${OBJECTS}?match[type]=indicator&match[id]=${E},${C}`, 'carol'))).toEqual([C]);
  });

  test('match[version]: all, first, last, an exact version', async () => {
    const c = (query: string) => get(hub.app, `${OBJECTS}?match[id]=${C}&${query}`, 'carol').then(versionsOf);
    expect(await c('match[version]=all')).toEqual([`${C}@2026-01-03T00:00:00.000Z`, `${C}@2026-01-04T00:00:00.123456Z`]);
    expect(await c('match[version]=first')).toEqual([`${C}@2026-01-03T00:00:00.000Z`]);
    expect(await c('match[version]=last')).toEqual([`${C}@2026-01-04T00:00:00.123456Z`]);
    expect(await c('match[version]=first,last')).toEqual([`${C}@2026-01-03T00:00:00.000Z`, `${C}@2026-01-04T00:00:00.123456Z`]);
    // Versions compare as instants: milliseconds name the same version as microseconds.
    expect(await c('match[version]=2026-01-03T00:00:00Z')).toEqual([`${C}@2026-01-03T00:00:00.000Z`]);
    expect(await c('match[version]=2026-01-04T00:00:00.123456Z')).toEqual([`${C}@2026-01-04T00:00:00.123456Z`]);
    expect(await c('match[version]=2026-01-09T00:00:00Z')).toEqual([]);
  });

  test('match[spec_version]: the listed spec versions only', async () => {
    expect(ids(await get(hub.app, `${OBJECTS}?match[spec_version]=2.1`, 'carol'))).toEqual([A, D, C, E]);
    expect(ids(await get(hub.app, `${OBJECTS}?match[spec_version]=2.0`, 'carol'))).toEqual([]);
  });

  test('added_after is exclusive and compares date_added, never the objects\' own timestamps', async () => {
    const after = formatMicros(added[1] ?? 0);
    expect(ids(await get(hub.app, `${OBJECTS}?added_after=${after}`, 'bob'))).toEqual([D, C, E]);
    expect(ids(await get(hub.app, `${OBJECTS}?added_after=2000-01-01T00:00:00Z`, 'bob'))).toEqual([A, B, D, C, E]);
  });

  test('unknown parameters are ignored', async () => {
    expect(ids(await get(hub.app, `${OBJECTS}?match[name]=x&foo=bar`, 'carol'))).toEqual([A, D, C, E]);
  });
});

describe('Get Objects paging', () => {
  test('following next until more is false yields every readable object exactly once, in order', async () => {
    for (const username of ['carol', 'bob', 'operator']) {
      const all = ids(await get(hub.app, `${OBJECTS}?match[version]=all`, username));
      const pages = await followNext(hub.app, `${OBJECTS}?match[version]=all&limit=2`, username);
      expect(pages.slice(0, -1).every((page) => objectsOf(page).length === 2)).toBe(true);
      expect(pages.flatMap(ids)).toEqual(all);
      for (const page of pages) {
        const objects = objectsOf(page);
        if (objects.length > 0) expect(page.headers['x-taxii-date-added-last']).toBeDefined();
      }
    }
  });

  test('restarting from X-TAXII-Date-Added-Last with added_after yields every object exactly once', async () => {
    const all = ids(await get(hub.app, OBJECTS, 'bob'));
    const seen: unknown[] = [];
    let query = 'limit=2';
    for (let round = 0; round < 10; round++) {
      const res = await get(hub.app, `${OBJECTS}?${query}`, 'bob');
      expect(res.status).toBe(200);
      seen.push(...ids(res));
      const last = res.headers['x-taxii-date-added-last'] as string | undefined;
      if (last === undefined) break;
      query = `limit=2&added_after=${last}`;
    }
    expect(seen).toEqual(all);
  });

  test('limit 0 or not a number is a 400; a limit above the maximum is clamped', async () => {
    for (const limit of ['0', '-1', 'abc']) {
      const res = await get(hub.app, `${OBJECTS}?limit=${limit}`, 'carol');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(json(res).description).toMatch(/limit/);
    }
    const res = await get(hub.app, `${OBJECTS}?limit=5000`, 'carol');
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([A, D, C, E]);
    expect(MAX_PAGE_LIMIT).toBe(1000);
  });
});

describe('Get Objects errors', () => {
  test('a repeated match[...] key is a 400', async () => {
    const res = await get(hub.app, `${OBJECTS}?match[type]=indicator&match[type]=malware`, 'carol');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(json(res)).toMatchObject({ error_code: 'BAD_REQUEST', http_status: '400' });
    expect(json(res).description).toMatch(/match\[type\]/);
  });

  test('a malformed timestamp is a 400 naming the parameter', async () => {
    for (const [name, value] of [['added_after', 'yesterday'], ['match[version]', '2026-13-01T00:00:00Z']] as const) {
      const res = await get(hub.app, `${OBJECTS}?${name}=${value}`, 'carol');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(json(res).description).toContain(`The URL parameter ${name} must be a timestamp`);
    }
  });

  test('without credentials 401 comes before 406; with credentials a non-TAXII Accept is 406', async () => {
    const anonymous = await request(hub.app).get(OBJECTS).set('Accept', 'application/xml');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toBe(TAXII);
    expect(anonymous.headers['www-authenticate']).toBeDefined();
    const wrongAccept = await request(hub.app).get(OBJECTS).set('Authorization', demoAuth('carol')).set('Accept', 'application/xml');
    expect(wrongAccept.status).toBe(406);
    expect(wrongAccept.headers['content-type']).toBe(TAXII);
  });

  test('without the trailing slash: 404; a method the endpoint does not define: 405 with Allow', async () => {
    const noSlash = await get(hub.app, OBJECTS.slice(0, -1), 'carol');
    expect(noSlash.status).toBe(404);
    expect(noSlash.headers['content-type']).toBe(TAXII);
    const put = await request(hub.app).put(OBJECTS).set('Authorization', demoAuth('carol'));
    expect(put.status).toBe(405);
    expect(put.headers['content-type']).toBe(TAXII);
    expect(put.headers.allow).toBe('GET, POST, HEAD');
  });
});

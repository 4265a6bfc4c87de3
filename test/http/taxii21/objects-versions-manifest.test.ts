import request from 'supertest';
import { formatMicros } from '../../../src/domain/timestamps';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { TAXII, followNext, get, json, newId, objectsOf, seed, versionsOf } from './objects-fixture';

const COLLECTION = `/demo/collections/${DEMO_COLLECTIONS.acmeInternal}`;
const object = (id: string) => `${COLLECTION}/objects/${id}/`;
const versions = (id: string) => `${COLLECTION}/objects/${id}/versions/`;
const MANIFEST = `${COLLECTION}/manifest/`;

// In acme-internal (acme-hq above its branches acme-east and acme-west):
const X = newId(); // acme-east: v1 GREEN (the whole group reads it), v2 and v3 AMBER (not the sibling acme-west)
const Y = newId(); // acme-east, AMBER only: acme-west cannot read it at all
const S = newId('ipv4-addr'); // acme-hq, an SCO without created/modified

let hub: DemoConfigHub;
const at: Record<string, number> = {};
/** Stores one version; returns its date_added. */
const seedOne = async (...args: Parameters<typeof seed>) => (await seed(...args))[0] ?? Number.NaN;
beforeAll(async () => {
  hub = await startDemoConfigHub();
  const collection = DEMO_COLLECTIONS.acmeInternal;
  // v3 arrives before v2: versions list in date_added order, while `last` is the highest version.
  at.x1 = await seedOne(hub.db, collection, { id: X, modified: '2026-02-01T00:00:00.000Z', provider: 'acme-east', tlp: 'green' });
  at.x3 = await seedOne(hub.db, collection, { id: X, modified: '2026-02-03T00:00:00.000Z', provider: 'acme-east', tlp: 'amber' });
  at.y = await seedOne(hub.db, collection, { id: Y, modified: '2026-02-01T00:00:00.000Z', provider: 'acme-east', tlp: 'amber' });
  at.x2 = await seedOne(hub.db, collection, { id: X, modified: '2026-02-02T00:00:00.000Z', provider: 'acme-east', tlp: 'amber' });
  at.s = await seedOne(hub.db, collection, { id: S, modified: '', provider: 'acme-hq', tlp: 'green', unversioned: true });
});
afterAll(() => hub.close());

const iso = (key: string) => formatMicros(at[key] ?? 0);

describe('TAXII 2.1 Get an Object (GET …/objects/{object-id}/)', () => {
  test('the latest version by default, with the X-TAXII-Date-Added headers of that version', async () => {
    const res = await get(hub.app, object(X), 'bob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(json(res).more).toBe(false);
    expect(versionsOf(res)).toEqual([`${X}@2026-02-03T00:00:00.000Z`]);
    expect(res.headers['x-taxii-date-added-first']).toBe(iso('x3'));
    expect(res.headers['x-taxii-date-added-last']).toBe(iso('x3'));
  });

  test('match[version]=all lists every readable version by date_added; first and timestamps select', async () => {
    expect(versionsOf(await get(hub.app, `${object(X)}?match[version]=all`, 'bob'))).toEqual(['01', '03', '02'].map((d) => `${X}@2026-02-${d}T00:00:00.000Z`));
    expect(versionsOf(await get(hub.app, `${object(X)}?match[version]=first`, 'bob'))).toEqual([`${X}@2026-02-01T00:00:00.000Z`]);
    expect(versionsOf(await get(hub.app, `${object(X)}?match[version]=2026-02-02T00:00:00Z`, 'bob'))).toEqual([`${X}@2026-02-02T00:00:00.000Z`]);
  });

  // Seeded below the sharing guard (which refuses a narrowing version): possible only after a policy change.
  test('a consumer who may read only an older version gets no latest version in its place, that one among all versions, and never learns of the others', async () => {
    const latest = await get(hub.app, object(X), 'carol');
    expect(latest.status).toBe(200);
    expect(versionsOf(latest)).toEqual([]);
    expect(versionsOf(await get(hub.app, `${object(X)}?match[version]=all`, 'carol'))).toEqual([`${X}@2026-02-01T00:00:00.000Z`]);
  });

  test('404 for an object that does not exist and for one the client may not read, worded alike', async () => {
    const unreadable = await get(hub.app, object(Y), 'carol');
    const missing = await get(hub.app, object(newId()), 'carol');
    for (const res of [unreadable, missing]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(json(res)).toMatchObject({ error_code: 'NOT_FOUND', http_status: '404' });
    }
    expect(Object.keys(json(unreadable)).sort()).toEqual(Object.keys(json(missing)).sort());
  });

  test('an object whose versions the filters all exclude is an empty envelope, not a 404', async () => {
    for (const query of ['match[version]=2026-03-01T00:00:00Z', 'match[spec_version]=2.0', `added_after=${iso('x2')}`]) {
      const res = await get(hub.app, `${object(X)}?${query}`, 'bob');
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"more":false}');
      expect(res.headers).not.toHaveProperty('x-taxii-date-added-first');
    }
  });

  test('match[id] and match[type] are not parameters of this endpoint and are ignored', async () => {
    expect(versionsOf(await get(hub.app, `${object(X)}?match[type]=malware&match[id]=${Y}`, 'bob'))).toEqual([`${X}@2026-02-03T00:00:00.000Z`]);
  });

  test('paging through the versions of one object with next', async () => {
    const pages = await followNext(hub.app, `${object(X)}?match[version]=all&limit=1`, 'bob');
    expect(pages.map((p) => objectsOf(p).length)).toEqual([1, 1, 1]);
    expect(pages.flatMap(versionsOf)).toEqual(['01', '03', '02'].map((d) => `${X}@2026-02-${d}T00:00:00.000Z`));
  });

  test('a method the endpoint does not define: 405 with Allow', async () => {
    const res = await request(hub.app).post(object(X)).set('Authorization', demoAuth('bob'));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, DELETE, HEAD');
  });
});

describe('TAXII 2.1 Get Object Versions (GET …/objects/{object-id}/versions/)', () => {
  test('every readable version, by date_added, with the X-TAXII-Date-Added headers', async () => {
    const res = await get(hub.app, versions(X), 'bob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(json(res)).toEqual({ more: false, versions: ['2026-02-01T00:00:00.000Z', '2026-02-03T00:00:00.000Z', '2026-02-02T00:00:00.000Z'] });
    expect(res.headers['x-taxii-date-added-first']).toBe(iso('x1'));
    expect(res.headers['x-taxii-date-added-last']).toBe(iso('x2'));
  });

  test('a consumer sees only the versions it may read', async () => {
    expect(json(await get(hub.app, versions(X), 'carol'))).toEqual({ more: false, versions: ['2026-02-01T00:00:00.000Z'] });
  });

  test('the version of an object without created/modified is the date it was added', async () => {
    expect(json(await get(hub.app, versions(S), 'carol'))).toEqual({ more: false, versions: [iso('s')] });
  });

  test('paging with next, and with added_after from X-TAXII-Date-Added-Last', async () => {
    const pages = await followNext(hub.app, `${versions(X)}?limit=2`, 'bob');
    expect(pages.map((p) => json(p).versions)).toEqual([['2026-02-01T00:00:00.000Z', '2026-02-03T00:00:00.000Z'], ['2026-02-02T00:00:00.000Z']]);
    const rest = await get(hub.app, `${versions(X)}?limit=2&added_after=${String(pages[0]?.headers['x-taxii-date-added-last'])}`, 'bob');
    expect(json(rest)).toEqual({ more: false, versions: ['2026-02-02T00:00:00.000Z'] });
  });

  test('an empty selection is {"more":false}; an unknown or unreadable object is a 404', async () => {
    const empty = await get(hub.app, `${versions(X)}?match[spec_version]=2.0`, 'bob');
    expect(empty.status).toBe(200);
    expect(empty.text).toBe('{"more":false}');
    expect((await get(hub.app, versions(Y), 'carol')).status).toBe(404);
    expect((await get(hub.app, versions(newId()), 'bob')).status).toBe(404);
  });

  test('without the trailing slash: 404', async () => {
    expect((await get(hub.app, versions(X).slice(0, -1), 'bob')).status).toBe(404);
  });
});

describe('TAXII 2.1 Get Object Manifests (GET …/manifest/)', () => {
  test('one record per selected version: id, date_added, version and the STIX media type', async () => {
    const res = await get(hub.app, MANIFEST, 'bob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(json(res)).toEqual({
      more: false,
      objects: [
        { id: X, date_added: iso('x3'), version: '2026-02-03T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' },
        { id: Y, date_added: iso('y'), version: '2026-02-01T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' },
        { id: S, date_added: iso('s'), version: iso('s'), media_type: 'application/stix+json;version=2.1' },
      ],
    });
    expect(res.headers['x-taxii-date-added-first']).toBe(iso('x3'));
    expect(res.headers['x-taxii-date-added-last']).toBe(iso('s'));
  });

  test('the filters of Get Objects apply, per consumer', async () => {
    const records = async (query: string, username: string) => (objectsOf(await get(hub.app, `${MANIFEST}?${query}`, username)) as { id: string; version: string }[]).map((r) => `${r.id}@${r.version}`);
    expect(await records('match[version]=all', 'carol')).toEqual([`${X}@2026-02-01T00:00:00.000Z`, `${S}@${iso('s')}`]);
    expect(await records(`match[id]=${X}&match[version]=first,last`, 'bob')).toEqual([`${X}@2026-02-01T00:00:00.000Z`, `${X}@2026-02-03T00:00:00.000Z`]);
    expect(await records('match[type]=ipv4-addr', 'bob')).toEqual([`${S}@${iso('s')}`]);
    expect(await records(`added_after=${iso('x3')}`, 'bob')).toEqual([`${Y}@2026-02-01T00:00:00.000Z`, `${S}@${iso('s')}`]);
  });

  test('paging with next yields every record exactly once', async () => {
    const all = objectsOf(await get(hub.app, `${MANIFEST}?match[version]=all`, 'operator'));
    const pages = await followNext(hub.app, `${MANIFEST}?match[version]=all&limit=2`, 'operator');
    expect(pages.flatMap(objectsOf)).toEqual(all);
    expect(all).toHaveLength(5);
  });

  test('an empty manifest is {"more":false}; other methods are 405', async () => {
    const empty = await get(hub.app, `${MANIFEST}?match[type]=campaign`, 'bob');
    expect(empty.text).toBe('{"more":false}');
    const post = await request(hub.app).post(MANIFEST).set('Authorization', demoAuth('bob'));
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});

describe('versions as the objects state them', () => {
  test('manifest and versions repeat the `modified` text of the object; match[version] compares instants', async () => {
    const id = newId();
    await seed(hub.db, DEMO_COLLECTIONS.acmeInternal, { id, modified: '2026-02-05T01:02:03.4Z', provider: 'acme-hq', tlp: 'green' });
    expect(json(await get(hub.app, versions(id), 'carol')).versions).toEqual(['2026-02-05T01:02:03.4Z']);
    expect(objectsOf(await get(hub.app, `${MANIFEST}?match[id]=${id}`, 'carol')).map((r) => r.version)).toEqual(['2026-02-05T01:02:03.4Z']);
    expect(versionsOf(await get(hub.app, `${object(id)}?match[version]=2026-02-05T01:02:03.400000Z`, 'carol'))).toEqual([`${id}@2026-02-05T01:02:03.4Z`]);
  });
});

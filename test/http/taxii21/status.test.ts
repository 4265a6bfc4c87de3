import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { TAXII_MEDIA_TYPE } from '../../../src/http/taxii21/media-types';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';

/** TAXII 2.1 Get Status (§4.3): a status belongs to the organization that posted it. */

let hub: DemoConfigHub;
let posted: Record<string, unknown>;
beforeAll(async () => {
  hub = await startDemoConfigHub();
  await hub.store.apiRoots.insert({ id: 'other', title: 'Other', description: null, maxContentLength: 1024, managedBy: 'admin' });
  const object = {
    type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
    pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z',
  };
  const res = await request(hub.app)
    .post('/demo/collections/acme-internal/objects/')
    .set('Authorization', demoAuth('bob'))
    .set('Content-Type', TAXII_MEDIA_TYPE)
    .send(JSON.stringify({ objects: [object, { type: 'indicator' }] }));
  expect(res.status).toBe(202);
  posted = JSON.parse(res.text) as Record<string, unknown>;
});
afterAll(() => hub.close());

const getStatus = (username: string, id = String(posted.id), root = 'demo') =>
  request(hub.app).get(`/${root}/status/${id}/`).set('Authorization', demoAuth(username)).set('Accept', TAXII_MEDIA_TYPE);
const json = (res: request.Response): Record<string, unknown> => JSON.parse(res.text) as Record<string, unknown>;

describe('TAXII 2.1 Get Status (GET /{api-root}/status/{status-id}/)', () => {
  test('the poster reads the status, equal to the POST answer', async () => {
    const res = await getStatus('bob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(json(res)).toEqual(posted);
    expect(posted).toMatchObject({ status: 'complete', total_count: 2, success_count: 1, failure_count: 1, pending_count: 0 });
  });

  test.each(['alice', 'carol', 'grace'])("another organization's user (%s) is told it does not exist: 404", async (username) => {
    const res = await getStatus(username);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(json(res)).toMatchObject({ error_code: 'NOT_FOUND', http_status: '404' });
  });

  test('an operator reads every status', async () => {
    const res = await getStatus('operator');
    expect(res.status).toBe(200);
    expect(json(res)).toEqual(posted);
  });

  test('an unknown id, an id that is not a UUID, and the status under another API root: 404', async () => {
    for (const res of [await getStatus('bob', randomUUID()), await getStatus('bob', 'status-1'), await getStatus('bob', String(posted.id), 'other'), await getStatus('bob', String(posted.id), 'nowhere')]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    }
  });

  test('without credentials: 401; an Accept naming no TAXII type: 406', async () => {
    const anonymous = await request(hub.app).get(`/demo/status/${String(posted.id)}/`).set('Accept', TAXII_MEDIA_TYPE);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toBe('application/taxii+json;version=2.1');
    const notAcceptable = await getStatus('bob').set('Accept', 'application/json');
    expect(notAcceptable.status).toBe(406);
    expect(notAcceptable.headers['content-type']).toBe('application/taxii+json;version=2.1');
  });

  test('without the trailing slash: 404; another method: 405 with Allow', async () => {
    const noSlash = await request(hub.app).get(`/demo/status/${String(posted.id)}`).set('Authorization', demoAuth('bob'));
    expect(noSlash.status).toBe(404);
    const del = await request(hub.app).delete(`/demo/status/${String(posted.id)}/`).set('Authorization', demoAuth('bob'));
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe('GET, HEAD');
  });
});

import request from 'supertest';
import { startTestHub, type TestHub } from '../support/test-hub';

/** A 404 whose path is only a trailing slash off says which path was meant, in the protocol's own error form. */

const TAXII = 'application/taxii+json;version=2.1';
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.close());

const get = (path: string, accept = TAXII) => request(hub.app).get(path).set('Authorization', hub.basicAuth).set('Accept', accept);

describe('did you mean …/', () => {
  test.each([
    ['/taxii2', '/taxii2/'],
    ['/demo/collections', '/demo/collections/'],
    ['/demo/collections/0d7d6f25-0000-4000-8000-000000000000/objects', '/demo/collections/0d7d6f25-0000-4000-8000-000000000000/objects/'],
  ])('a TAXII path without its slash (%s) gets a TAXII error resource naming %s', async (path, meant) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(res.body).toEqual({
      title: 'Not found',
      error_code: 'NOT_FOUND',
      http_status: '404',
      description: `There is no resource at ${path}; did you mean ${meant} (TAXII 2.1 paths end with '/')?`,
    });
  });

  test('the JSON APIs answer with or without a trailing slash, so they need no hint', async () => {
    expect((await get('/admin/api/organizations/', 'application/json')).status).toBe(200);
    expect((await get('/admin/api/organizations', 'application/json')).status).toBe(200);
  });

  test('a path that is wrong in other ways gets no hint, and the query string is not echoed', async () => {
    for (const path of ['/nothing-here', '/demo/collection/', '/admin/api/organisations']) {
      const res = await get(`${path}?secret=1`, path.startsWith('/admin') ? 'application/json' : TAXII);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).toContain(`There is no resource at ${path}"`);
    }
  });
});

import request from 'supertest';
import { TAXII_MEDIA_TYPE } from '../../../src/http/taxii21/media-types';
import { startTestHub, type TestHub } from '../support/test-hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.close();
});

const get = (path: string) => request(hub.app).get(path).set('Authorization', hub.basicAuth);

describe('TAXII 2.1 server discovery (GET /taxii2/)', () => {
  test('an authenticated client gets the discovery resource with exactly the TAXII media type', async () => {
    const res = await get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(JSON.parse(res.text)).toEqual({
      title: 'Test hub',
      description: 'A hub for tests',
      contact: 'soc@example.org',
      default: '/demo/',
      api_roots: ['/demo/'],
    });
  });

  test('a hub without API roots omits api_roots and default instead of sending empty values', async () => {
    const empty = await startTestHub({ hub: { title: 'Bare', description: null, contact: null, defaultApiRootId: null } });
    try {
      await empty.store.apiRoots.delete('demo');
      const res = await request(empty.app).get('/taxii2/').set('Authorization', empty.basicAuth);
      expect(JSON.parse(res.text)).toEqual({ title: 'Bare' });
    } finally {
      await empty.close();
    }
  });

  test('a client without credentials gets 401 with a challenge and a TAXII error resource', async () => {
    const res = await request(hub.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(JSON.parse(res.text)).toMatchObject({ title: 'Authentication required', error_code: 'AUTHENTICATION_REQUIRED', http_status: '401' });
  });

  test('authentication is checked before content negotiation: 401, not 406', async () => {
    const res = await request(hub.app).get('/taxii2/').set('Accept', 'application/json');
    expect(res.status).toBe(401);
  });

  test('wrong credentials get 401', async () => {
    const res = await request(hub.app).get('/taxii2/').set('Authorization', `Basic ${Buffer.from('olivia:wrong password!').toString('base64')}`);
    expect(res.status).toBe(401);
  });
});

describe('TAXII 2.1 content negotiation', () => {
  test.each(['application/taxii+json;version=2.1', 'application/taxii+json', '*/*', 'application/*', 'application/json, text/plain, */*'])(
    'Accept %p is answered with TAXII 2.1',
    async (accept) => {
      const res = await get('/taxii2/').set('Accept', accept);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    },
  );

  test('a request without an Accept header is answered with TAXII 2.1', async () => {
    const res = await get('/taxii2/').unset('Accept');
    expect(res.status).toBe(200);
  });

  test.each(['application/json', 'application/taxii+json;version=2.0', '', 'application/taxii+json;version=2.1;q=0'])(
    'Accept %p gets 406 as a TAXII error resource',
    async (accept) => {
      const res = await get('/taxii2/').set('Accept', accept);
      expect(res.status).toBe(406);
      expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
      expect(JSON.parse(res.text)).toMatchObject({ error_code: 'NOT_ACCEPTABLE', http_status: '406' });
    },
  );
});

describe('TAXII 2.1 API root information (GET /{api-root}/)', () => {
  test('a known API root is described with its versions and max_content_length', async () => {
    const res = await get('/demo/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(JSON.parse(res.text)).toEqual({
      title: 'Demo',
      description: 'Demonstration data',
      versions: ['application/taxii+json;version=2.1'],
      max_content_length: 10 * 1024 * 1024,
    });
  });

  test('an unknown API root is 404 as a TAXII error resource', async () => {
    const res = await get('/nowhere/');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(JSON.parse(res.text)).toMatchObject({ error_code: 'NOT_FOUND', http_status: '404' });
  });

  test('an unknown API root still asks for credentials first', async () => {
    const res = await request(hub.app).get('/nowhere/');
    expect(res.status).toBe(401);
  });
});

describe('TAXII 2.1 URLs', () => {
  test.each(['/taxii2', '/demo'])('%s without the trailing slash is 404, not a redirect', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
  });

  test.each([
    ['post', '/taxii2/'],
    ['delete', '/demo/'],
    ['put', '/taxii2/'],
  ] as const)('%s %s is 405 with Allow', async (method, path) => {
    const res = await request(hub.app)[method](path).set('Authorization', hub.basicAuth);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(JSON.parse(res.text)).toMatchObject({ error_code: 'METHOD_NOT_ALLOWED', http_status: '405' });
  });

  test('a URL that is no TAXII endpoint is 404 as a TAXII error resource', async () => {
    const res = await get('/no/such/thing/');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(JSON.parse(res.text)).toEqual(expect.objectContaining({ title: 'Not found', http_status: '404' }));
  });
});

import request from 'supertest';
import { createLogger } from '../../../src/http/ops/logging';
import { startTestHub, type TestHub } from '../support/test-hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.close();
});

describe('request ids', () => {
  test('a sane incoming X-Request-Id is echoed back', async () => {
    const res = await request(hub.app).get('/healthz').set('X-Request-Id', 'proxy-1234.abc_DEF');
    expect(res.headers['x-request-id']).toBe('proxy-1234.abc_DEF');
  });

  test.each(['a'.repeat(65), 'has spaces', 'semi;colon', 'line\tbreak'])('an unusable X-Request-Id %p is replaced by a fresh uuid', async (incoming) => {
    const res = await request(hub.app).get('/healthz').set('X-Request-Id', incoming);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test('a request without an id gets a generated one, also on errors', async () => {
    const res = await request(hub.app).get('/taxii2/');
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('every log line of a request carries its id, and credentials never reach the log', async () => {
    hub.logLines.length = 0;
    await request(hub.app).get('/taxii2/').set('Authorization', hub.basicAuth).set('X-Request-Id', 'trace-me');
    const lines = hub.logLines.map((line) => JSON.parse(line) as { requestId?: string; req?: unknown; res?: unknown });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.requestId === 'trace-me')).toBe(true);
    const completed = lines.find((line) => line.req);
    expect(completed).toMatchObject({ req: { method: 'GET', url: '/taxii2/' }, res: { statusCode: 200 } });
    expect(hub.logLines.join('\n')).not.toContain(hub.basicAuth.slice('Basic '.length));
  });
});

describe('liveness and metrics', () => {
  test('/healthz answers 200 without credentials', async () => {
    const res = await request(hub.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('/readyz answers 200 while the database answers', async () => {
    const res = await request(hub.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('/metrics counts requests under their route pattern, not their raw URL', async () => {
    await request(hub.app).get('/demo/').set('Authorization', hub.basicAuth);
    await request(hub.app).get('/nowhere/').set('Authorization', hub.basicAuth);
    await request(hub.app).get('/admin/api/organizations/acme').set('Authorization', hub.basicAuth);
    await request(hub.app).get('/not/a/route');
    const res = await request(hub.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^http_requests_total\{method="GET",route="\/:apiRoot\/",status="200"\} 1$/m);
    expect(res.text).toMatch(/^http_requests_total\{method="GET",route="\/:apiRoot\/",status="404"\} 1$/m);
    expect(res.text).toMatch(/^http_requests_total\{method="GET",route="\/admin\/api\/organizations\/:id",status="200"\} 1$/m);
    expect(res.text).toMatch(/^http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
    expect(res.text).not.toContain('route="/nowhere/"');
    expect(res.text).toMatch(/^http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz",status="200"\} \d+$/m);
    expect(res.text).toContain('database_errors_total 0');
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });
});

describe('admin API request bodies', () => {
  test('a JSON body over the limit is 413 in the admin error form', async () => {
    const small = await startTestHub({ bodyLimitBytes: 1024 });
    try {
      const res = await request(small.app)
        .post('/admin/api/organizations')
        .set('Authorization', small.basicAuth)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ id: 'big', name: 'x'.repeat(2000) }));
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', title: 'Payload too large', message: 'The request body is larger than the limit of 1024 bytes' } });
    } finally {
      await small.close();
    }
  });

  test('malformed JSON is 400 with a clear message', async () => {
    const res = await request(hub.app)
      .post('/admin/api/organizations')
      .set('Authorization', hub.basicAuth)
      .set('Content-Type', 'application/json')
      .send('{"id": "x", ');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST', title: 'Bad request' });
    expect(res.body.error.message).toMatch(/^The request body is not valid JSON/);
  });

  test('an unknown admin URL is 404 in the admin error form', async () => {
    const res = await request(hub.app).get('/admin/api/no-such-thing').set('Authorization', hub.basicAuth);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: 'NOT_FOUND' }) });
  });

  test('a wrong method on an admin path is 405 with Allow', async () => {
    const res = await request(hub.app).put('/admin/api/organizations').set('Authorization', hub.basicAuth);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  test('the admin API asks for credentials with a challenge', async () => {
    const res = await request(hub.app).get('/admin/api/organizations');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(res.body.error.code).toBe('AUTHENTICATION_REQUIRED');
  });
});

describe('log redaction', () => {
  test('passwords and credentials a handler logs are redacted', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    logger.info({ body: { username: 'u', password: 'hunter2' }, req: { headers: { authorization: 'Basic abc', cookie: 'sid=1' } }, password: 'p2' }, 'x');
    expect(lines.join('')).not.toMatch(/hunter2|Basic abc|sid=1|p2/);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ body: { username: 'u', password: '[redacted]' } });
  });
});

describe('headers', () => {
  test('responses do not advertise express and carry helmet protections', async () => {
    const res = await request(hub.app).get('/healthz');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

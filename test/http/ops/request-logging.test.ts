import request from 'supertest';
import { OPERATOR, startTestHub, type TestHub } from '../support/test-hub';

/** Each request's completion line says who made it (user, organization, API key id), and never a credential. */

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.close());

interface LogLine {
  readonly requestId?: string;
  readonly req?: { readonly url: string };
  readonly principal?: Record<string, string>;
}

/** The completion line of the request with this id. */
function completionOf(requestId: string): LogLine | undefined {
  return hub.logLines.map((line) => JSON.parse(line) as LogLine).find((line) => line.requestId === requestId && line.req !== undefined);
}

describe('request logs record the principal', () => {
  test('a Basic-authenticated request: user id, username, organization and how it authenticated', async () => {
    const whoami = await request(hub.app).get('/admin/api/whoami').set('Authorization', hub.basicAuth).set('X-Request-Id', 'log-basic');
    expect(whoami.status).toBe(200);
    const userId = (whoami.body as { user_id: string }).user_id;
    expect(completionOf('log-basic')?.principal).toEqual({ userId, username: OPERATOR.username, organization: 'acme', via: 'basic' });
    expect(hub.logLines.join('\n')).not.toContain(OPERATOR.password);
  });

  test('an API-key request: the key id, never the token', async () => {
    const whoami = await request(hub.app).get('/admin/api/whoami').set('Authorization', hub.basicAuth);
    const userId = (whoami.body as { user_id: string }).user_id;
    const created = await request(hub.app)
      .post(`/admin/api/users/${userId}/api-keys`)
      .set('Authorization', hub.basicAuth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'log test' }));
    expect(created.status).toBe(201);
    const { id, token } = created.body as { id: string; token: string };

    const res = await request(hub.app).get('/taxii2/').set('Authorization', `Bearer ${token}`).set('Accept', 'application/taxii+json;version=2.1').set('X-Request-Id', 'log-key');
    expect(res.status).toBe(200);
    expect(completionOf('log-key')?.principal).toEqual({ userId, username: OPERATOR.username, organization: 'acme', via: 'api-key', apiKeyId: id });
    expect(token.startsWith(`thk_${id}_`)).toBe(true);
    const secret = token.slice(`thk_${id}_`.length);
    expect(secret.length).toBeGreaterThan(10);
    expect(hub.logLines.join('\n')).not.toContain(secret);
  });

  test('a request that did not authenticate has no principal', async () => {
    const res = await request(hub.app).get('/taxii2/').set('Authorization', 'Basic bm9ib2R5Om5vcGU=').set('X-Request-Id', 'log-anonymous');
    expect(res.status).toBe(401);
    const line = completionOf('log-anonymous');
    expect(line).toBeDefined();
    expect(line?.principal).toBeUndefined();
  });
});

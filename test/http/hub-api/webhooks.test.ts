import request from 'supertest';
import { testEngines } from '../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';

/**
 * The hub API's webhook routes over the real app and the demo configuration: alice is org-admin of
 * acme-hq, dave of globex-hq, bob a provider of acme-east; `operator` runs the hub. Every bad input is
 * a JSON error in the admin/hub API form, never a 500; another organization's webhook is a 404.
 */

describe.each(testEngines())('the webhook API on %s', (engine) => {
  let hub: DemoConfigHub;

  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
  });
  afterAll(() => hub.close());

  const call = (method: 'get' | 'post' | 'delete', user: string, path: string, body?: unknown) => {
    const req = request(hub.app)[method](`/api${path}`).set('Authorization', demoAuth(user));
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const create = (user: string, body: Record<string, unknown>) => call('post', user, '/webhooks', { collection: 'acme-internal', url: 'https://hooks.acme.example/in', ...body });

  test('an org-admin registers a webhook, sees its secret once, and manages it; another organization gets 404 for it', async () => {
    const created = await create('alice', { kinds: ['c2-ip'], operations: ['created', 'revoked'], min_confidence: 50 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ organization: 'acme-hq', collection_name: 'acme-internal', url: 'https://hooks.acme.example/in', status: 'active', filter: { kinds: ['c2-ip'], operations: ['created', 'revoked'], min_confidence: 50 }, retry_window_seconds: 86400 });
    expect(created.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.body.warnings).toEqual([expect.stringContaining("not on organization 'acme-hq's delivery allow-list")]);

    const shown = await call('get', 'alice', `/webhooks/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.secret).toBeUndefined();
    expect(JSON.stringify(shown.body)).not.toContain(created.body.secret);
    expect((await call('get', 'alice', '/webhooks')).body.webhooks.map((w: { id: string }) => w.id)).toEqual([id]);

    for (const [method, path] of [['get', ''], ['get', '/attempts'], ['get', '/dead-letters'], ['post', '/pause'], ['post', '/rotate-secret'], ['delete', '']] as const) {
      const answer = await call(method, 'dave', `/webhooks/${id}${path}`);
      expect([path, answer.status, answer.body.error?.code]).toEqual([path, 404, 'NOT_FOUND']);
    }
    expect((await call('get', 'dave', '/webhooks')).body).toEqual({ webhooks: [] });
    expect((await call('get', 'operator', '/webhooks?organization=acme-hq')).body.webhooks).toHaveLength(1);

    const rotated = await call('post', 'alice', `/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect((await call('get', 'alice', `/webhooks/${id}`)).body.previous_secret_retires_at).toBe(rotated.body.previous_secret_retires_at);
    expect((await call('post', 'alice', `/webhooks/${id}/retire-secret`)).body.previous_secret_retires_at).toBeNull();

    expect((await call('post', 'alice', `/webhooks/${id}/pause`)).body.status).toBe('paused');
    expect((await call('post', 'alice', `/webhooks/${id}/resume`)).body.status).toBe('active');
    expect((await call('get', 'alice', `/webhooks/${id}/attempts?limit=5`)).body).toEqual({ attempts: [] });
    expect((await call('get', 'alice', `/webhooks/${id}/dead-letters`)).body).toEqual({ dead_letters: [] });
    const replay = await call('post', 'alice', `/webhooks/${id}/dead-letters/00000000-0000-4000-8000-000000000000/replay`);
    expect([replay.status, replay.body.error?.code]).toEqual([404, 'NOT_FOUND']);

    expect((await call('delete', 'alice', `/webhooks/${id}`)).status).toBe(204);
    expect((await call('get', 'alice', `/webhooks/${id}`)).status).toBe(404);
  });

  test('bad input is a JSON error naming what is wrong, never a 500', async () => {
    const cases: [string, () => request.Test, number, string][] = [
      ['not JSON', () => call('post', 'alice', '/webhooks', '{"collection":'), 400, 'BAD_REQUEST'],
      ['no url', () => call('post', 'alice', '/webhooks', { collection: 'acme-internal' }), 400, 'VALIDATION_FAILED'],
      ['an unknown field', () => create('alice', { secret: 'mine' }), 400, 'VALIDATION_FAILED'],
      ['confidence out of range', () => create('alice', { min_confidence: 101 }), 400, 'VALIDATION_FAILED'],
      ['an unknown kind', () => create('alice', { kinds: ['ssn'] }), 400, 'VALIDATION_FAILED'],
      ['an unknown operation', () => create('alice', { operations: ['exploded'] }), 400, 'VALIDATION_FAILED'],
      ['an ftp URL', () => create('alice', { url: 'ftp://hooks.acme.example/' }), 400, 'VALIDATION_FAILED'],
      ['plain http off the allow-list', () => create('alice', { url: 'http://hooks.acme.example/' }), 400, 'VALIDATION_FAILED'],
      ['a retry window too short', () => create('alice', { retry_window_seconds: 1 }), 400, 'VALIDATION_FAILED'],
      ['a collection it may not read', () => create('alice', { collection: 'no-such-collection' }), 404, 'NOT_FOUND'],
      ['a consumer without org-admin', () => create('bob', {}), 403, 'FORBIDDEN'],
      ['an org-admin for another organization', () => create('dave', { organization: 'acme-hq' }), 403, 'FORBIDDEN'],
      ['an operator without a user of the organization', () => create('operator', { organization: 'acme-hq' }), 400, 'VALIDATION_FAILED'],
      ['an id that is not a uuid', () => call('get', 'alice', '/webhooks/not-a-uuid'), 404, 'NOT_FOUND'],
      ['a limit of 0', () => call('get', 'alice', '/webhooks/00000000-0000-4000-8000-000000000000/attempts?limit=0'), 400, 'BAD_REQUEST'],
      ['a body on pause', () => call('post', 'alice', '/webhooks/00000000-0000-4000-8000-000000000000/pause', { now: true }), 400, 'VALIDATION_FAILED'],
      ['PUT', () => request(hub.app).put('/api/webhooks').set('Authorization', demoAuth('alice')), 405, 'METHOD_NOT_ALLOWED'],
    ];
    for (const [what, send, status, code] of cases) {
      const answer = await send();
      expect([what, answer.status, answer.body.error?.code]).toEqual([what, status, code]);
    }
  });

  test('an operator registers a webhook for an organization under one of its users', async () => {
    const created = await create('operator', { organization: 'acme-hq', user: 'alice' });
    expect(created.status).toBe(201);
    expect(created.body.organization).toBe('acme-hq');
    expect((await call('get', 'alice', `/webhooks/${created.body.id}`)).status).toBe(200);
  });
});

import request from 'supertest';
import { childrenNamed } from '../../../../src/domain/xml/xml-element';
import { HEADERS, NS, xml } from '../../../http/taxii11/support/taxii11-messages';
import { DEMO_COLLECTIONS } from '../../../support/demo-config';
import { testEngines } from '../../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../../../http/support/demo-config-hub';

/**
 * /api/forwards: who may make, see and change forwards, what a request must say, and that the
 * remote's credentials go in and never come out (nor sit in the database in clear text).
 */

const ACME = DEMO_COLLECTIONS.acmeInternal;
const SECRET = 'x-api-key-value-that-must-never-be-shown';

describe.each(testEngines())('the forwards API on %s', (engine) => {
  let hub: DemoConfigHub;
  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
  });
  afterAll(() => hub.close());

  const api = (method: 'get' | 'post' | 'delete', path: string, username: string, body?: unknown) => {
    const req = request(hub.app)[method](`/api${path}`).set('Authorization', demoAuth(username));
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };
  const valid = { collection: ACME, api_root_url: 'https://taxii.partner.example/api1', remote_collection: 'inbound', credentials: { kind: 'header', name: 'X-API-Key', value: SECRET } };

  test('an org-admin forwards for its organization; the credentials are shown by kind and name only, and are sealed at rest', async () => {
    const created = await api('post', '/forwards', 'alice', valid);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      organization: 'acme-hq', collection: ACME, status: 'active', run_as: 'alice', api_root_url: 'https://taxii.partner.example/api1/', remote_collection: 'inbound',
      credentials: { kind: 'header', name: 'X-API-Key' }, max_objects: 100, max_bytes: 1048576,
      delivery: { last_error: null, consecutive_failures: 0, delivered_objects: 0 },
      warnings: ["host 'taxii.partner.example' is not on organization 'acme-hq's delivery allow-list: nothing is sent until an operator adds it"],
    });
    const id = (created.body as { id: string }).id;
    const listed = await api('get', '/forwards', 'alice');
    expect(listed.status).toBe(200);
    expect((listed.body as { forwards: { id: string }[] }).forwards.map((f) => f.id)).toContain(id);
    for (const res of [created, listed, await api('get', `/forwards/${id}`, 'alice')]) expect(res.text).not.toContain(SECRET);
    const { rows } = await hub.db.query<{ sealed_credentials: string }>('SELECT sealed_credentials FROM forward_targets WHERE id = $1', [id]);
    expect(rows[0]?.sealed_credentials).toMatch(/^v1\./);
    expect(rows[0]?.sealed_credentials).not.toContain(SECRET);
    const audit = await hub.store.audit.list({ entityType: 'forward', entityId: id, limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(['forward.create']);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });

  test("another organization's forward does not exist for an org-admin; a user without org-admin may not manage forwards", async () => {
    const id = ((await api('post', '/forwards', 'alice', valid)).body as { id: string }).id;
    expect((await api('get', `/forwards/${id}`, 'dave')).status).toBe(404);
    expect((await api('post', `/forwards/${id}/pause`, 'dave')).status).toBe(404);
    expect((await api('delete', `/forwards/${id}`, 'dave')).status).toBe(404);
    expect(((await api('get', '/forwards', 'dave')).body as { forwards: unknown[] }).forwards).toEqual([]);
    expect((await api('get', '/forwards', 'bob')).status).toBe(403);
    expect((await api('post', '/forwards', 'bob', valid)).status).toBe(403);
    expect((await api('post', '/forwards', 'alice', { ...valid, organization: 'globex-hq' })).status).toBe(403);
    // An operator sees every organization's, and may narrow the listing.
    const operators = (await api('get', '/forwards?organization=acme-hq', 'operator')).body as { forwards: { id: string }[] };
    expect(operators.forwards.map((f) => f.id)).toContain(id);
  });

  test('pause and resume change the status; delete removes the forward and its credentials', async () => {
    const id = ((await api('post', '/forwards', 'alice', valid)).body as { id: string }).id;
    expect(await api('post', `/forwards/${id}/pause`, 'alice')).toMatchObject({ status: 200, body: { status: 'paused', delivery: { next_attempt_at: null } } });
    expect(await api('post', `/forwards/${id}/resume`, 'alice')).toMatchObject({ status: 200, body: { status: 'active' } });
    expect((await api('delete', `/forwards/${id}`, 'alice')).status).toBe(204);
    expect((await api('get', `/forwards/${id}`, 'alice')).status).toBe(404);
    expect((await hub.db.query('SELECT 1 FROM forward_targets WHERE id = $1', [id])).rows).toEqual([]);
  });

  test('an operator forwards for an organization as one of its users; that user must exist there and may read the collection', async () => {
    const made = await api('post', '/forwards', 'operator', { ...valid, organization: 'acme-west', run_as: 'carol' });
    expect(made).toMatchObject({ status: 201, body: { organization: 'acme-west', run_as: 'carol' } });
    expect(await api('post', '/forwards', 'operator', { ...valid, organization: 'acme-west' })).toMatchObject({ status: 400, body: { error: { problems: [{ path: 'run_as' }] } } });
    expect(await api('post', '/forwards', 'operator', { ...valid, organization: 'acme-west', run_as: 'alice' })).toMatchObject({ status: 400, body: { error: { problems: [{ path: 'run_as' }] } } });
    // By alias too.
    expect(await api('post', '/forwards', 'alice', { ...valid, collection: 'acme-internal' })).toMatchObject({ status: 201, body: { collection: ACME } });
    // globex-hq does not see ACME internal: for it the collection does not exist, by id or alias.
    expect((await api('post', '/forwards', 'dave', { ...valid, collection: 'acme-internal' })).status).toBe(404);
    expect((await api('post', '/forwards', 'dave', valid)).status).toBe(404);
  });

  test('TAXII 1.1 Subscription Management sees no forward: STATUS does not list it, and UNSUBSCRIBE of its id leaves it', async () => {
    const id = ((await api('post', '/forwards', 'operator', { ...valid, organization: 'acme-west', run_as: 'carol' })).body as { id: string }).id;
    const manage = (action: string, extra = '') =>
      request(hub.app).post('/taxii1/collection-management').set(HEADERS).set('Authorization', demoAuth('carol'))
        .send(`<taxii_11:Subscription_Management_Request xmlns:taxii_11="${NS}" message_id="m-${action}" collection_name="acme-internal" action="${action}">${extra}</taxii_11:Subscription_Management_Request>`);
    const status = xml((await manage('STATUS')).text);
    expect(childrenNamed(status, NS, 'Subscription')).toEqual([]);
    await manage('UNSUBSCRIBE', `<taxii_11:Subscription_ID>${id}</taxii_11:Subscription_ID>`);
    expect((await api('get', `/forwards/${id}`, 'operator')).status).toBe(200);
  });

  test.each([
    ['an unknown field', { ...valid, colour: 'red' }],
    ['no remote collection', { collection: ACME, api_root_url: 'https://taxii.partner.example/api1/' }],
    ['a remote collection id with a slash', { ...valid, remote_collection: '../admin' }],
    ['an API root that is not http(s)', { ...valid, api_root_url: 'ftp://taxii.partner.example/api1/' }],
    ['an API root carrying credentials', { ...valid, api_root_url: 'https://user:pw@taxii.partner.example/api1/' }],
    ['an API root with a query', { ...valid, api_root_url: 'https://taxii.partner.example/api1/?x=1' }],
    ['Basic credentials without a password', { ...valid, credentials: { kind: 'basic', username: 'u' } }],
    ['a header the hub sets itself', { ...valid, credentials: { kind: 'header', name: 'Host', value: 'evil.example' } }],
    ['a header value with a line break', { ...valid, credentials: { kind: 'header', name: 'X-API-Key', value: 'a\r\nX-Other: b' } }],
    ['too many objects per request', { ...valid, max_objects: 10_000 }],
  ])('%s is a 400 naming the field', async (_what, body) => {
    const res = await api('post', '/forwards', 'alice', body);
    expect(res.status).toBe(400);
    expect((res.body as { error: { problems: unknown[] } }).error.problems.length).toBeGreaterThan(0);
  });

  test('an id that is not a forward is a 404, in the JSON error form', async () => {
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const res = await api('get', `/forwards/${id}`, 'alice');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });
});

import request from 'supertest';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';

let hub: DemoConfigHub;
beforeAll(async () => {
  hub = await startDemoConfigHub();
});
afterAll(() => hub.close());

const preview = (username: string, collection: string, query: Record<string, string>) =>
  request(hub.app).get(`/admin/api/collections/${collection}/recipients`).query(query).set('Authorization', demoAuth(username));

const recipientsOf = (res: request.Response) => (res.body as { recipients: { organization: string; rule: string }[] }).recipients;

describe('"who will receive this" preview (GET /admin/api/collections/{id}/recipients)', () => {
  test('an AMBER object of a branch reaches its head office, not its sibling branch', async () => {
    const res = await preview('operator', DEMO_COLLECTIONS.acmeInternal, { provider: 'acme-east', marking: 'amber' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      collection: DEMO_COLLECTIONS.acmeInternal,
      provider: 'acme-east',
      marking: 'amber',
      recipients: [
        { organization: 'acme-east', rule: 'own-object' },
        { organization: 'acme-hq', rule: 'vertical-ancestor' },
      ],
    });
  });

  test('a GREEN object reaches the whole group, the sibling branch included', async () => {
    const res = await preview('operator', DEMO_COLLECTIONS.acmeInternal, { provider: 'acme-east', marking: 'green' });
    expect(recipientsOf(res)).toEqual([
      { organization: 'acme-east', rule: 'own-object' },
      { organization: 'acme-hq', rule: 'tlp-green-group' },
      { organization: 'acme-west', rule: 'tlp-green-group' },
    ]);
  });

  test('a RED object reaches only the organizations it names (and its provider)', async () => {
    const res = await preview('operator', DEMO_COLLECTIONS.acmeInternal, { provider: 'acme-east', marking: 'red', recipients: 'acme-west' });
    expect(recipientsOf(res)).toEqual([
      { organization: 'acme-east', rule: 'own-object' },
      { organization: 'acme-west', rule: 'red-named-recipient' },
    ]);
  });

  test('across a peer link a head office receives the other head office\'s own objects, and nothing passes down', async () => {
    const res = await preview('operator', DEMO_COLLECTIONS.allianceExchange, { provider: 'acme-hq', marking: 'TLP:AMBER' });
    expect(res.body).toMatchObject({ marking: 'amber' });
    expect(recipientsOf(res)).toEqual([
      { organization: 'acme-east', rule: 'vertical-descendant' },
      { organization: 'acme-hq', rule: 'own-object' },
      { organization: 'globex-hq', rule: 'peer-link' },
    ]);
  });

  describe('requests that describe no object the provider could share there: 400', () => {
    test.each([
      ['TLP:RED without recipients', { provider: 'acme-east', marking: 'red' }, 'recipients'],
      ['an unknown marking', { provider: 'acme-east', marking: 'purple' }, 'marking'],
      ['no marking', { provider: 'acme-east' }, 'marking'],
      ['no provider', { marking: 'amber' }, 'provider'],
      ['a provider outside the collection\'s group', { provider: 'globex-hq', marking: 'amber' }, 'provider'],
      ['an unknown provider', { provider: 'nobody', marking: 'amber' }, 'provider'],
      ['recipients on a marking other than RED', { provider: 'acme-east', marking: 'amber', recipients: 'acme-west' }, 'recipients'],
      ['an unknown recipient', { provider: 'acme-east', marking: 'red', recipients: 'acme-west,nobody' }, 'recipients[1]'],
    ])('%s', async (_what, query, path) => {
      const res = await preview('operator', DEMO_COLLECTIONS.acmeInternal, query);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', problems: expect.arrayContaining([expect.objectContaining({ path })]) } });
    });

    test('an organization that reads an organization-owned collection but may not write to it', async () => {
      const res = await preview('operator', DEMO_COLLECTIONS.initechPrivate, { provider: 'acme-hq', marking: 'amber+strict' });
      expect(res.status).toBe(400);
    });
  });

  describe('who may preview what', () => {
    test('an org-admin or a provider previews its own organization\'s objects', async () => {
      expect((await preview('alice', DEMO_COLLECTIONS.acmeInternal, { provider: 'acme-hq', marking: 'amber' })).status).toBe(200);
      expect((await preview('bob', DEMO_COLLECTIONS.acmeInternal, { provider: 'acme-east', marking: 'amber' })).status).toBe(200);
    });

    test("previewing another organization's objects is 403, even for the head office's org-admin", async () => {
      const res = await preview('alice', DEMO_COLLECTIONS.acmeInternal, { provider: 'acme-east', marking: 'amber' });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    });

    test('a consumer-only user publishes nothing and previews nothing: 403', async () => {
      expect((await preview('carol', DEMO_COLLECTIONS.acmeInternal, { provider: 'acme-west', marking: 'amber' })).status).toBe(403);
    });

    test('a collection the user cannot see is 404, as an unknown one', async () => {
      expect((await preview('frank', DEMO_COLLECTIONS.acmeInternal, { provider: 'initech', marking: 'amber' })).status).toBe(404);
      expect((await preview('operator', '00000000-0000-4000-8000-000000000000', { provider: 'initech', marking: 'amber' })).status).toBe(404);
    });

    test('without credentials: 401', async () => {
      const res = await request(hub.app).get(`/admin/api/collections/${DEMO_COLLECTIONS.acmeInternal}/recipients`).query({ provider: 'acme-east', marking: 'amber' });
      expect(res.status).toBe(401);
    });
  });
});

import request from 'supertest';
import { readConfigDeclarations } from '../../../src/config/config-declarations';
import { BUNDLED_CONFIG_PATH } from '../../../src/config/hub-config-path';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHubApp } from '../../../src/hub-composition';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { Database } from '../../../src/storage/sql/database';
import { applyDemoConfig } from '../../support/demo-config';
import { openTestDatabase } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';

/**
 * Changing what the config declares (the demo's finance-isac, alice …) is a 409 that says so, names
 * the file and line that declare it, and says how to change it; as `serve` composes the hub.
 */

let db: Database;
let app: ReturnType<typeof composeHubApp>;
beforeAll(async () => {
  db = await openTestDatabase('pglite');
  const store = createSqlTenancyStore(db);
  const config = await applyDemoConfig(store);
  app = composeHubApp({
    db,
    store,
    hub: config.hub,
    settings: { bodyLimitBytes: 64 * 1024, trustProxy: false },
    logger: createLogger('silent'),
    metrics: createMetrics(),
    configDeclarations: await readConfigDeclarations(BUNDLED_CONFIG_PATH),
  });
});
afterAll(() => db.close());

const asOperator = (method: 'patch' | 'delete', url: string, body?: unknown) => {
  const req = request(app)[method](`/admin/api${url}`).set('Authorization', demoAuth('operator'));
  return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
};
const messageOf = (res: request.Response) => (res.body as { error: { code: string; message: string } }).error;

describe('409 for a config-managed entity', () => {
  test('updating the demo trust group finance-isac names trust-groups.yaml and its line, and says to edit it and restart', async () => {
    const res = await asOperator('patch', '/trust-groups/finance-isac', { members: ['acme-hq', 'globex-hq'] });
    expect(res.status).toBe(409);
    expect(messageOf(res)).toEqual({
      code: 'CONFLICT',
      title: 'Conflict',
      message: `trust group 'finance-isac' is managed by the declarative configuration, not by the admin API or the CLI: it is declared in collections/trust-groups.yaml:15. Edit it there and restart the hub, which applies the file`,
    });
  });

  test('organizations and users name their own files', async () => {
    const org = await asOperator('delete', '/organizations/vandelay');
    expect(org.status).toBe(409);
    expect(messageOf(org).message).toMatch(/organization 'vandelay' is managed by the declarative configuration.* declared in .*organizations\.yaml:\d+\. Edit it there/);
    const user = await asOperator('patch', '/users/carol', { roles: ['consumer', 'provider'] });
    expect(user.status).toBe(409);
    expect(messageOf(user).message).toMatch(/user 'carol' .* declared in .*users\.yaml:\d+\./);
  });
});

describe('declared_in: where a config-managed entity is declared, in every admin read', () => {
  const get = (url: string) => request(app).get(`/admin/api${url}`).set('Authorization', demoAuth('operator'));
  const DECLARED = /^collections\/[a-z-]+\.yaml:\d+$/;

  test('a trust group read on its own and in the list names the same file and line as its 409', async () => {
    const one = await get('/trust-groups/finance-isac');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 'finance-isac', managed_by: 'config', declared_in: 'collections/trust-groups.yaml:15' });
    const list = (await get('/trust-groups')).body.trust_groups as { id: string; declared_in: string }[];
    expect(list.find((g) => g.id === 'finance-isac')?.declared_in).toBe('collections/trust-groups.yaml:15');
  });

  test('every config-managed organization, user, collection and API root names its file and line; alice her own in users.yaml', async () => {
    const lists = await Promise.all([['/organizations', 'organizations'], ['/users', 'users'], ['/collections', 'collections'], ['/api-roots', 'api_roots']].map(async ([url, key]) => {
      const res = await get(url as string);
      expect(res.status).toBe(200);
      return res.body[key as string] as { managed_by: string; declared_in: string | null }[];
    }));
    for (const list of lists) {
      expect(list.length).toBeGreaterThan(0);
      for (const entity of list.filter((e) => e.managed_by === 'config')) expect(entity.declared_in).toMatch(DECLARED);
    }
    const alice = await request(app).get('/admin/api/users/alice').set('Authorization', demoAuth('alice'));
    expect(alice.body).toMatchObject({ username: 'alice', declared_in: expect.stringMatching(/^collections\/users\.yaml:\d+$/) });
  });

  test('an entity made through the admin API has declared_in null, from its create on', async () => {
    const created = await request(app).post('/admin/api/organizations').set('Authorization', demoAuth('operator')).send({ id: 'made-here', name: 'Made here' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ managed_by: 'admin', declared_in: null });
    expect((await get('/organizations/made-here')).body.declared_in).toBeNull();
  });
});

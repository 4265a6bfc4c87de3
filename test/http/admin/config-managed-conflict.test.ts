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

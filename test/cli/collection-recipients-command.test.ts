import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../support/cli-run';
import { openDatabase } from '../../src/storage/sql/open-database';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../support/demo-config';
import { seedPgliteDataDir } from '../support/test-databases';


describe('taxii-hub collection recipients (working directly on the embedded store)', () => {
  let dir: string;
  let target: string[];

  beforeAll(async () => {
    dir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-recipients-')));
    target = ['--data-dir', dir];
    const db = await openDatabase({ engine: 'pglite', dataDir: dir });
    try {
      await applyDemoConfig(createSqlTenancyStore(db));
    } finally {
      await db.close();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('lists the organizations that would receive the object, and why', async () => {
    const run = await cli(['collection', 'recipients', DEMO_COLLECTIONS.acmeInternal, '--provider', 'acme-east', '--marking', 'red', '--recipients', 'acme-west', ...target]);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')).toEqual([
      `collection: ${DEMO_COLLECTIONS.acmeInternal}`,
      'provider: acme-east',
      'marking: red',
      'recipients:',
      '  ORGANIZATION  RULE',
      '  acme-east     own-object',
      '  acme-west     red-named-recipient',
    ]);
  });

  test('--json prints the admin API response', async () => {
    const run = await cli(['collection', 'recipients', DEMO_COLLECTIONS.acmeInternal, '--provider', 'acme-east', '--marking', 'amber', '--json', ...target]);
    expect(JSON.parse(run.out)).toMatchObject({ marking: 'amber', recipients: [{ organization: 'acme-east' }, { organization: 'acme-hq', rule: 'vertical-ancestor' }] });
  });

  test('TLP:RED without recipients fails with the problem named', async () => {
    const run = await cli(['collection', 'recipients', DEMO_COLLECTIONS.acmeInternal, '--provider', 'acme-east', '--marking', 'red', ...target]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/error \(400\)/);
    expect(run.err).toMatch(/recipients: /);
  });
});

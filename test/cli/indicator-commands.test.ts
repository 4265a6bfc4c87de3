import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/http/ops/logging';
import { createSharingServices } from '../../src/hub-composition';
import { openPglite } from '../../src/storage/sql/pglite-engine';
import { migrate } from '../../src/storage/sql/migrate';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import { cli } from '../support/cli-run';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../support/demo-config';
import { seedPgliteDataDir } from '../support/test-databases';

/** The indicator commands working directly on the embedded store, as the local operator. */

const ACME = DEMO_COLLECTIONS.acmeInternal;
let dir: string;
let id: string;

beforeAll(async () => {
  dir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cli-indicator-')));
  const db = await openPglite({ dataDir: dir });
  try {
    await migrate(db);
    const store = createSqlTenancyStore(db);
    await applyDemoConfig(store);
    const { submissions } = createSharingServices({ db, store, logger: createLogger('silent') });
    const result = await submissions.submit(
      { userId: 'u-bob', username: 'bob', organizationId: 'acme-east', roles: new Set(['provider']), via: 'basic' },
      { collection: ACME, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'url', value: 'https://cli.example/' }] },
    );
    id = (result.items[0] as { id: string }).id;
  } finally {
    await db.close();
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the local operator revokes an indicator, reads its history, then purges it; each step audited', async () => {
  const target = ['--data-dir', dir];
  const revoked = await cli(['indicator', 'revoke', ACME, id, '--reason', 'shared by mistake', '--json', ...target]);
  expect(revoked.code).toBe(0);
  expect(JSON.parse(revoked.out)).toMatchObject({ id, state: 'revoked', reason: 'shared by mistake' });

  const listed = JSON.parse((await cli(['indicator', 'list', ACME, '--state', 'revoked', '--json', ...target])).out);
  expect(listed.indicators).toEqual([expect.objectContaining({ id, state: 'revoked', kind: 'url' })]);
  expect(JSON.parse((await cli(['indicator', 'list', ACME, '--state', 'active', '--json', ...target])).out).indicators).toEqual([]);

  const history = JSON.parse((await cli(['indicator', 'history', ACME, id, '--json', ...target])).out);
  expect(history.versions.map((v: { state: string }) => v.state)).toEqual(['active', 'revoked']);
  expect(history.transitions).toEqual([expect.objectContaining({ action: 'indicator.revoke', reason: 'shared by mistake', actor: expect.stringMatching(/^cli:/) })]);

  await expect(cli(['indicator', 'purge', id, ...target])).rejects.toThrow("required option '--reason <text>' not specified");
  expect((await cli(['indicator', 'purge', id, '--reason', 'customer data', ...target])).code).toBe(0);
  const gone = await cli(['indicator', 'history', ACME, id, ...target]);
  expect(gone.code).toBe(1);
  expect(gone.err).toMatch(/^error \(404\)/);
  const audit = await cli(['audit', '--entity-type', 'indicator', '--entity-id', id, '--json', ...target]);
  expect(JSON.parse(audit.out).entries.map((e: { action: string }) => e.action)).toEqual(['indicator.revoke', 'indicator.purge']);
});

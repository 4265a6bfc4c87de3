import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../support/cli-run';
import { openPglite } from '../../src/storage/sql/pglite-engine';
import { createPostgresTestDatabaseUrl, seedPgliteDataDir, testEngines } from '../support/test-databases';


describe.each(testEngines())('admin CLI working directly on the %s store', (engine) => {
  let target: string[];
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (engine === 'postgres') {
      const db = await createPostgresTestDatabaseUrl();
      target = ['--database-url', db.url];
      cleanup = db.drop;
    } else {
      const dir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cli-')));
      target = ['--data-dir', dir];
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(() => cleanup());

  test('an operator sets up an organization, a user and an API key, and every step is audited', async () => {
    expect((await cli(['org', 'create', 'acme', '--name', 'ACME Corp', ...target])).code).toBe(0);
    process.env.CLI_TEST_PASSWORD = 'a-long-enough-password';
    const user = await cli(['user', 'create', 'alice', '--org', 'acme', '--roles', 'provider,consumer', '--password-env', 'CLI_TEST_PASSWORD', '--json', ...target]);
    expect(user.code).toBe(0);
    expect(JSON.parse(user.out)).toMatchObject({ username: 'alice', organization: 'acme', roles: ['provider', 'consumer'], managed_by: 'admin' });

    const key = await cli(['key', 'create', 'alice', '--name', 'siem', '--json', ...target]);
    expect(key.code).toBe(0);
    expect(JSON.parse(key.out).token).toMatch(/^thk_[0-9a-f]{16}_/);

    const listed = await cli(['user', 'list', ...target]);
    expect(listed.out.split('\n')[0]).toMatch(/^ID\s+USERNAME\s+ORGANIZATION/);
    expect(listed.out).toContain('alice');

    const subscriptions = await cli(['subscription', 'list', '--org', 'acme', '--json', ...target]);
    expect(subscriptions.code).toBe(0);
    expect(JSON.parse(subscriptions.out)).toEqual({ subscriptions: [] }); // acme subscribed to nothing (TAXII 1.1 makes them)

    const audit = await cli(['audit', '--json', ...target]);
    const actions = (JSON.parse(audit.out).entries as { action: string; actor: string }[]).map((e) => e.action);
    expect(actions).toEqual(['organization.create', 'user.create', 'api-key.create']);
    expect(audit.out).toContain(`cli:${os.userInfo().username}`);
    expect(audit.out).not.toContain('a-long-enough-password');
  }, 90_000); // five commands, each opening the store itself (seconds on PGlite)

  // Each command opens the store itself (seconds on PGlite), hence the longer timeout.
  test('--attribution and --unmarked set a trust group\'s and a collection\'s sharing settings', async () => {
    expect((await cli(['org', 'create', 'globex', '--name', 'Globex', ...target])).code).toBe(0);
    const group = await cli(['group', 'create', 'quiet-isac', '--topology', 'horizontal', '--name', 'Quiet ISAC', '--members', 'acme,globex', '--attribution', 'hidden', '--json', ...target]);
    expect(group.code).toBe(0);
    expect(JSON.parse(group.out)).toMatchObject({ id: 'quiet-isac', attribution: 'hidden' });

    expect((await cli(['api-root', 'create', 'cli-root', '--title', 'CLI root', ...target])).code).toBe(0);
    const created = await cli(['collection', 'create', '--api-root', 'cli-root', '--title', 'Strict', '--owner-org', 'globex', '--unmarked', 'refuse', '--attribution', 'hidden', '--json', ...target]);
    expect(created.code).toBe(0);
    const collection = JSON.parse(created.out) as { id: string };
    expect(collection).toMatchObject({ unmarked: 'refuse', attribution: 'hidden' });
    const updated = await cli(['collection', 'update', collection.id, '--unmarked', 'default', '--attribution', 'attributed', '--json', ...target]);
    expect(JSON.parse(updated.out)).toMatchObject({ unmarked: 'default', attribution: 'attributed' });
  }, 90_000);

  test('bad input exits non-zero naming every field that is wrong', async () => {
    const result = await cli(['group', 'create', 'peers', '--topology', 'horizontal', '--name', 'Peers', '--members', 'acme,nobody', ...target]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('members[1]: unknown organization');
    const missing = await cli(['user', 'get', 'nobody', ...target]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('(404)');
  });
});

test('the CLI refuses an embedded store held by a hub that serves no local socket, and says what to do', async () => {
  const dir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cli-lock-')));
  const held = await openPglite({ dataDir: dir }); // holds the directory as a hub does, without a socket
  try {
    const result = await cli(['org', 'list', '--data-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`the data directory ${dir} is in use by a running hub (pid ${process.pid}), and its local socket cannot be used (there is no ${path.join(dir, 'hub.sock')}`);
    expect(result.err).toContain('--url (or HUB_URL)');
    expect(result.err).toContain('stop the hub');
  } finally {
    await held.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

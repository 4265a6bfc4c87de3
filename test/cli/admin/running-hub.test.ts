import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withOperatorSocket } from '../../../src/cli/serve/operator-socket';
import { BUNDLED_CONFIG_PATH } from '../../../src/config/hub-config-path';
import { loadSettings } from '../../../src/config/settings';
import { createLogger } from '../../../src/http/ops/logging';
import { ACT_AS_HEADER } from '../../../src/local-socket/local-socket-address';
import { startHub, type RunningHub } from '../../../src/server';
import { cli } from '../../support/cli-run';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { seedPgliteDataDir } from '../../support/test-databases';

/**
 * The README's order: the hub runs on the embedded store (npm start), and the CLI, run beside it
 * without --url, reaches it through the local socket in the data directory, as the local operator.
 * (The hub runs in this process: the CLI's attempt to lock the data directory is refused as it is
 * for another process, flock locks belonging to the open file.)
 */

const CLI_ENV = ['HUB_URL', 'HUB_USER', 'HUB_PASSWORD', 'HUB_API_KEY', 'HUB_DATA_DIR', 'DATABASE_URL'] as const;
const savedEnv = Object.fromEntries(CLI_ENV.map((name) => [name, process.env[name]]));

let dataDir: string;
let hub: RunningHub;
let target: string[];
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  for (const name of CLI_ENV) delete process.env[name];
  dataDir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cli-socket-')));
  const loaded = loadSettings({}, { port: '0', host: '127.0.0.1', configPath: BUNDLED_CONFIG_PATH, dataDir });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const logger = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
  hub = await withOperatorSocket(await startHub({ settings: loaded.settings, logger, env: {} }), loaded.settings, logger);
  target = ['--data-dir', dataDir];
}, 60_000);
afterAll(async () => {
  await hub?.shutdown();
  fs.rmSync(dataDir, { recursive: true, force: true });
  for (const name of CLI_ENV) if (savedEnv[name] === undefined) delete process.env[name];
  else process.env[name] = savedEnv[name];
});

test('an admin command beside the running hub goes through its socket, audited and logged as the local operator', async () => {
  const created = await cli(['org', 'create', 'socket-co', '--name', 'Socket Co', ...target]);
  expect(created).toMatchObject({ code: 0, err: '' });

  const audit = JSON.parse((await cli(['audit', '--entity-id', 'socket-co', '--json', ...target])).out) as { entries: { action: string; actor: string }[] };
  expect(audit.entries).toEqual([expect.objectContaining({ action: 'organization.create', actor: 'local-socket' })]);
  expect(logLines).toContainEqual(
    expect.objectContaining({ msg: 'request completed', req: expect.objectContaining({ method: 'POST', url: '/admin/api/organizations' }), principal: expect.objectContaining({ username: 'local-socket', via: 'local' }) }),
  );
});

test('a refused request prints the hub\'s message and each problem once', async () => {
  const refused = await cli(['org', 'create', 'Not Valid!', '--name', 'x', ...target]);
  expect(refused.code).toBe(1);
  const lines = refused.err.split('\n');
  expect(lines[0]).toBe('error (400): Validation failed');
  expect(lines.filter((l) => l.includes('must match pattern'))).toHaveLength(1);

  const conflict = await cli(['group', 'update', 'finance-isac', '--name', 'Renamed', ...target]);
  expect(conflict.code).toBe(1);
  expect(conflict.err.split('\n')).toHaveLength(new Set(conflict.err.split('\n')).size); // no line twice
});

test('import --as goes through the socket as that user, into a collection named by its alias', async () => {
  const file = path.join(dataDir, '..', `${path.basename(dataDir)}-submission.json`);
  fs.writeFileSync(file, JSON.stringify({ valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'url', value: 'https://one.socket.example/' }, { kind: 'url', value: 'https://two.socket.example/' }, { kind: 'c2-hostname', value: 'three.socket.example' }] }));
  try {
    const imported = await cli(['import', file, '--collection', 'acme-internal', '--as', 'bob', ...target]);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.out).toContain('created 3');
  } finally {
    fs.rmSync(file, { force: true });
  }
  // bob's organization provides them: the socket acted as bob, not as the operator.
  const listed = JSON.parse((await cli(['indicator', 'list', DEMO_COLLECTIONS.acmeInternal, '--provider', 'acme-east', '--json', ...target])).out) as { indicators: unknown[] };
  expect(listed.indicators).toHaveLength(3);
});

test('indicator list says when more follow, and --all reads every page', async () => {
  const page = await cli(['indicator', 'list', DEMO_COLLECTIONS.acmeInternal, '--limit', '2', ...target]);
  expect(page.code).toBe(0);
  expect(page.out.split('\n')).toHaveLength(3); // the header and two rows
  expect(page.err).toMatch(/^\(more indicators follow: the next page with --after \S+, or every page with --all\)$/);

  const all = await cli(['indicator', 'list', DEMO_COLLECTIONS.acmeInternal, '--limit', '2', '--all', '--json', ...target]);
  expect(all).toMatchObject({ code: 0, err: '' });
  const every = JSON.parse((await cli(['indicator', 'list', DEMO_COLLECTIONS.acmeInternal, '--json', ...target])).out) as { indicators: { id: string }[] };
  expect((JSON.parse(all.out) as { indicators: { id: string }[] }).indicators.map((i) => i.id)).toEqual(every.indicators.map((i) => i.id));
});

test('pivot without --url asks the hub running on the data directory', async () => {
  const pivot = await cli(['pivot', 'one.socket.example', '--json', ...target]);
  expect(pivot).toMatchObject({ code: 0, err: '' });
  expect(JSON.parse(pivot.out)).toHaveProperty('nodes');
});

test('over TCP, the socket\'s act-as header claims nothing', async () => {
  const answer = await fetch(`${hub.url}/admin/api/organizations`, { headers: { [ACT_AS_HEADER]: 'operator' } });
  expect(answer.status).toBe(401);
});

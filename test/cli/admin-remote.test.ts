import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../support/cli-run';
import { BUNDLED_CONFIG_PATH } from '../../src/config/hub-config-path';
import { loadSettings } from '../../src/config/settings';
import { createLogger } from '../../src/http/ops/logging';
import { startHub, type RunningHub } from '../../src/server';
import { seedPgliteDataDir } from '../support/test-databases';

/**
 * The admin CLI against a running hub (`--url`): the same commands as locally, sent over the admin
 * API with the credentials of HUB_USER/HUB_PASSWORD or HUB_API_KEY, and what the hub answers.
 */

/** The variables these tests set; each test starts without them and they are restored afterwards. */
const CLI_ENV = ['HUB_URL', 'HUB_USER', 'HUB_PASSWORD', 'HUB_API_KEY', 'REMOTE_TEST_PASSWORD'] as const;
const savedEnv = Object.fromEntries(CLI_ENV.map((name) => [name, process.env[name]]));

function setEnv(values: Partial<Record<(typeof CLI_ENV)[number], string>>): void {
  for (const name of CLI_ENV) {
    const value = values[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}


const ACME_INTERNAL = '948f89cd-d3ab-4b2e-bb60-bdffe702b793';

let hub: RunningHub;
let dataDir: string;
let remote: string[];

beforeAll(async () => {
  dataDir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cli-remote-')));
  const loaded = loadSettings({}, { port: '0', host: '127.0.0.1', configPath: BUNDLED_CONFIG_PATH, dataDir });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  hub = await startHub({ settings: loaded.settings, logger: createLogger('silent'), env: {} });
  remote = ['--url', hub.url];
});
beforeEach(() => setEnv({ HUB_USER: 'operator', HUB_PASSWORD: 'operator-demo-pw' }));
afterAll(async () => {
  setEnv(savedEnv);
  await hub?.shutdown();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const discovery = (authorization: string) => fetch(`${hub.url}/taxii2/`, { headers: { Authorization: authorization } });
const tokenIn = (output: string): string => {
  const match = /^token: (thk_\S+)$/m.exec(output);
  if (!match?.[1]) throw new Error(`no token in:\n${output}`);
  return match[1];
};

test('an operator lists the organizations of a running hub as a table', async () => {
  const result = await cli(['org', 'list', ...remote]);
  expect(result).toMatchObject({ code: 0, err: '' });
  const lines = result.out.split('\n');
  expect(lines[0]).toMatch(/^ID\s+NAME\s+PARENT\s+MANAGED_BY\s+DECLARED_IN$/);
  expect(lines).toContainEqual(expect.stringMatching(/^acme-east\s+ACME East\s+acme-hq\s+config\s+collections\/organizations\.yaml:\d+$/));
  expect(lines).toHaveLength(1 + 8);
});

test('HUB_URL stands in for --url', async () => {
  setEnv({ HUB_URL: hub.url, HUB_USER: 'operator', HUB_PASSWORD: 'operator-demo-pw' });
  const result = await cli(['org', 'get', 'initech', '--json']);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.out)).toEqual({ id: 'initech', name: 'Initech', parent: null, managed_by: 'config', declared_in: expect.stringMatching(/^collections\/organizations\.yaml:\d+$/) });
});

test('creates a user whose password comes from a variable, then a key whose token works against TAXII', async () => {
  process.env.REMOTE_TEST_PASSWORD = 'victor-long-password';
  const user = await cli(['user', 'create', 'victor', '--org', 'initech', '--roles', 'provider,consumer', '--password-env', 'REMOTE_TEST_PASSWORD', '--json', ...remote]);
  expect(user.code).toBe(0);
  expect(JSON.parse(user.out)).toEqual({ id: expect.any(String), username: 'victor', organization: 'initech', roles: ['provider', 'consumer'], disabled: false, managed_by: 'admin', declared_in: null });
  const basic = `Basic ${Buffer.from('victor:victor-long-password').toString('base64')}`;
  expect((await discovery(basic)).status).toBe(200);

  const key = await cli(['key', 'create', 'victor', '--name', 'feed reader', ...remote]);
  expect(key.code).toBe(0);
  expect(key.out).toMatch(/^name: feed reader$/m);
  expect(key.out).toMatch(/^status: active$/m);
  const token = tokenIn(key.out);
  expect((await discovery(`Bearer ${token}`)).status).toBe(200);

  const keyId = token.split('_')[1] as string;
  const listed = await cli(['key', 'list', '--user', 'victor', ...remote]);
  expect(listed.out).toContain(keyId);
  expect(listed.out).not.toContain(token);

  expect((await cli(['key', 'revoke', keyId, ...remote])).code).toBe(0);
  expect((await discovery(`Bearer ${token}`)).status).toBe(401);
  expect((await cli(['user', 'delete', 'victor', ...remote])).out).toBe('done');
});

test('a wrong password exits with code 1 and says the hub answered 401', async () => {
  setEnv({ HUB_USER: 'operator', HUB_PASSWORD: 'not-the-password' });
  const result = await cli(['org', 'list', ...remote]);
  expect(result.code).toBe(1);
  expect(result.out).toBe('');
  expect(result.err).toBe('error (401): Authentication required');
});

test('--login names the user instead of HUB_USER', async () => {
  setEnv({ HUB_USER: 'operator', HUB_PASSWORD: 'alice-demo-pw' });
  const result = await cli(['org', 'list', '--json', '--login', 'alice', ...remote]);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.out)).toEqual({ organizations: [{ id: 'acme-hq', name: 'ACME Holdings', parent: null, managed_by: 'config', declared_in: expect.stringMatching(/^collections\/organizations\.yaml:\d+$/) }] });
});

test('an API key in HUB_API_KEY authenticates the CLI, and the audit trail names the key', async () => {
  const created = await cli(['key', 'create', 'operator', '--name', 'automation', '--json', ...remote]);
  const { token, id } = JSON.parse(created.out) as { token: string; id: string };
  setEnv({ HUB_API_KEY: token });
  const org = await cli(['org', 'create', 'hooli', '--name', 'Hooli', ...remote]);
  expect(org.code).toBe(0);
  expect(org.out.split('\n')).toEqual(['id: hooli', 'name: Hooli', 'parent: -', 'managed_by: admin', 'declared_in: -']);
  const audit = await cli(['audit', '--entity-id', 'hooli', '--json', ...remote]);
  expect(JSON.parse(audit.out).entries).toEqual([expect.objectContaining({ actor: `operator (key ${id})`, action: 'organization.create' })]);
  const since = await cli(['audit', '--entity-id', 'hooli', '--since', '2000-01-01T00:00:00Z', '--until', '2999-01-01T00:00:00+09:00', '--json', ...remote]);
  expect(JSON.parse(since.out).entries).toEqual(JSON.parse(audit.out).entries);
  expect(JSON.parse((await cli(['audit', '--entity-id', 'hooli', '--until', '2000-01-01T00:00:00Z', '--json', ...remote])).out).entries).toEqual([]);
  const badDate = await cli(['audit', '--since', 'yesterday', ...remote]);
  expect(badDate.code).toBe(1);
  expect(badDate.err).toContain('since: must be an RFC 3339 timestamp with a time zone');

  setEnv({ HUB_API_KEY: `${token}x` });
  const refused = await cli(['org', 'list', ...remote]);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain('(401)');
});

test("the hub's refusals come back with every field problem and exit code 1", async () => {
  const invalid = await cli(['group', 'create', 'peers', '--topology', 'horizontal', '--name', 'Peers', '--members', 'initech,nobody', ...remote]);
  expect(invalid.code).toBe(1);
  expect(invalid.err.split('\n')).toEqual([expect.stringMatching(/^error \(400\): /), "  members[1]: unknown organization 'nobody'"]);

  const conflict = await cli(['org', 'update', 'acme-hq', '--name', 'ACME Inc', ...remote]);
  expect(conflict.code).toBe(1);
  expect(conflict.err).toMatch(/^error \(409\): .*declarative configuration/);

  setEnv({ HUB_USER: 'alice', HUB_PASSWORD: 'alice-demo-pw' });
  const forbidden = await cli(['org', 'create', 'acme-north', '--name', 'ACME North', ...remote]);
  expect(forbidden.code).toBe(1);
  expect(forbidden.err).toMatch(/^error \(403\): /);
});

test('without credentials the CLI says what to set, before contacting the hub', async () => {
  setEnv({});
  const result = await cli(['org', 'list', ...remote]);
  expect(result.code).toBe(1);
  expect(result.err).toBe('taxii-hub: with --url, set HUB_API_KEY, or give --login (or HUB_USER) and HUB_PASSWORD');
});

test('a hub that cannot be reached is one line naming it and the reason', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const result = await cli(['org', 'list', '--url', url]);
  expect(result.code).toBe(1);
  expect(result.err).toBe(`taxii-hub: cannot reach the hub at ${url} (ECONNREFUSED)`);
});

test('an answer that is not the admin API (e.g. a proxy error page) is reported by its status', async () => {
  const proxy = http.createServer((_req, res) => {
    res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body>Bad Gateway</body></html>');
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const result = await cli(['org', 'list', '--url', `http://127.0.0.1:${(proxy.address() as { port: number }).port}`]);
    expect(result.code).toBe(1);
    expect(result.err).toBe('error (502): 502 Bad Gateway');
  } finally {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
});

test("a provider follows and ends its indicator's lifecycle from the command line, over the hub API", async () => {
  const submitted = await fetch(`${hub.url}/api/submissions`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from('bob:bob-demo-pw').toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ collection: ACME_INTERNAL, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: '198.51.100.23' }] }),
  });
  const id = ((await submitted.json()) as { indicators: { id: string }[] }).indicators[0]?.id as string;
  setEnv({ HUB_USER: 'bob', HUB_PASSWORD: 'bob-demo-pw' });
  const history = await cli(['indicator', 'history', ACME_INTERNAL, id, '--json', ...remote]);
  expect(history.code).toBe(0);
  expect(JSON.parse(history.out)).toMatchObject({ id, state: 'active', provider: 'acme-east' });
  const benign = await cli(['indicator', 'benign', ACME_INTERNAL, id, '--reason', 'address reassigned', ...remote]);
  expect(benign).toMatchObject({ code: 0, err: '' });
  expect(benign.out).toMatch(/^state: benign$/m);
  const again = await cli(['indicator', 'revoke', ACME_INTERNAL, id, ...remote]);
  expect(again.code).toBe(1);
  expect(again.err).toMatch(/^error \(409\): The indicator is already benign/);
  const purge = await cli(['indicator', 'purge', id, '--reason', 'test data', ...remote]);
  expect(purge.code).toBe(1); // bob is a provider, not an org-admin
  expect(purge.err).toMatch(/^error \(403\)/);
});

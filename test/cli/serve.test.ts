import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { BUNDLED_CONFIG_PATH } from '../../src/config/hub-config-path';
import { loadSettings, type Settings } from '../../src/config/settings';
import { createLogger } from '../../src/http/ops/logging';
import { StartupError, startHub, type RunningHub } from '../../src/server';
import { acquireDirectoryLock } from '../../src/storage/sql/directory-lock';
import { Client } from 'pg';
import { createPostgresTestDatabaseUrl, testEngines } from '../support/test-databases';

/** The demo config's operator (collections/README.md). */
const DEMO_OPERATOR = `Basic ${Buffer.from('operator:operator-demo-pw').toString('base64')}`;
const quietLogger = () => createLogger('silent');

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-serve-'));
}

function settings(overrides: Partial<Record<string, string>> = {}): Settings {
  const loaded = loadSettings({}, { port: '0', host: '127.0.0.1', configPath: BUNDLED_CONFIG_PATH, ...overrides });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.settings;
}

/** Sends a POST whose body arrives in two parts; `between` runs once the server has the request. */
function twoPartPost(hub: RunningHub, pathName: string, first: string, second: string, between: () => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${hub.url}${pathName}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: DEMO_OPERATOR, 'Transfer-Encoding': 'chunked' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    hub.server.once('request', () => {
      between();
      req.end(second);
    });
    req.write(first);
  });
}

describe('serve: starting and stopping the hub', () => {
  // One data directory for the suite: creating a PGlite store takes seconds, reopening it does not.
  let dataDir: string;
  beforeAll(() => {
    dataDir = tmpDir();
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('starts on PGlite with the demo config, answers, and on shutdown releases the data directory', async () => {
    const hub = await startHub({ settings: settings({ dataDir }), logger: quietLogger() });
    try {
      expect(hub.url).toBe(`http://127.0.0.1:${hub.port}`);
      const health = await fetch(`${hub.url}/healthz`);
      expect(health.status).toBe(200);
      const discovery = await fetch(`${hub.url}/taxii2/`, { headers: { Authorization: DEMO_OPERATOR } });
      expect(discovery.status).toBe(200);
      expect(await discovery.json()).toMatchObject({ title: 'taxii-hub demo', default: '/demo/', api_roots: ['/demo/'] });
    } finally {
      await hub.shutdown();
    }
    const release = acquireDirectoryLock(dataDir); // throws if the hub still held it
    release();
    // A fresh embedded store: initdb, every migration and the demo config (25 s at load average 8).
  }, 120_000);

  test('shutdown lets an in-flight request finish, then refuses new connections', async () => {
    const hub = await startHub({ settings: settings({ dataDir }), logger: quietLogger() });
    let stopped: Promise<void> | undefined;
    const response = await twoPartPost(hub, '/admin/api/organizations', '{"id": "late-arrival",', '"name": "Late Arrival"}', () => {
      stopped = hub.shutdown();
    });
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ id: 'late-arrival' });
    await stopped;
    await expect(fetch(`${hub.url}/healthz`)).rejects.toThrow();
  });

  test('shutdown does not wait forever for a request that never completes: its connection is cut', async () => {
    const hub = await startHub({ settings: settings({ dataDir }), logger: quietLogger(), shutdownTimeoutMs: 200 });
    const req = http.request(`${hub.url}/admin/api/organizations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: DEMO_OPERATOR, 'Transfer-Encoding': 'chunked' },
    });
    const outcome = new Promise<string>((resolve) => {
      req.on('response', (res) => resolve(`response ${res.statusCode}`));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
    });
    const received = new Promise<void>((resolve) => hub.server.once('request', () => resolve()));
    req.write('{"id": "never-finished",');
    await received;
    await hub.shutdown();
    expect(await outcome).toBe('error ECONNRESET');
  });

  test('a second hub on the same data directory is refused with the lock message', async () => {
    const first = await startHub({ settings: settings({ dataDir }), logger: quietLogger() });
    try {
      await expect(startHub({ settings: settings({ dataDir }), logger: quietLogger() })).rejects.toThrow(/data directory .* is in use by another running hub/);
    } finally {
      await first.shutdown();
    }
  });

  test('a config with problems stops the start, listing every problem, before the database is opened', async () => {
    const dir = tmpDir();
    const configPath = path.join(dir, 'hub.yaml');
    fs.writeFileSync(
      configPath,
      [
        'organizations:',
        '  - { id: acme, name: ACME, parent: nowhere }',
        'users:',
        '  - { username: yan, organization: acme, roles: [wizard] }',
        'api_roots:',
        '  - { id: demo, title: Demo, max_content_length: -1 }',
      ].join('\n'),
    );
    const freshDataDir = path.join(dir, 'data');
    const error: unknown = await startHub({ settings: settings({ dataDir: freshDataDir, configPath }), logger: quietLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    const startup = error as StartupError;
    expect(startup.message).toMatch(new RegExp(`^the hub config at ${configPath} has \\d+ problems$`));
    expect(startup.problems.length).toBeGreaterThanOrEqual(3);
    expect(startup.problems.join('\n')).toMatch(/nowhere/);
    expect(startup.problems.join('\n')).toMatch(/max_content_length/);
    expect(startup.problems.join('\n')).toMatch(/users\[0\]\.roles\[0\]/);
    expect(fs.existsSync(freshDataDir)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an unreachable PostgreSQL server is one line naming it, without the password', async () => {
    const error: unknown = await startHub({ settings: settings({ databaseUrl: 'postgres://u:p@127.0.0.1:1/x' }), logger: quietLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toBe('cannot reach the database at postgres://u@127.0.0.1:1/x (ECONNREFUSED)');
  });

  test('a port already in use is reported as such', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as { port: number }).port);
    try {
      await expect(startHub({ settings: settings({ dataDir, port }), logger: quietLogger() })).rejects.toThrow(`cannot listen on 127.0.0.1:${port} (the address is already in use)`);
      const release = acquireDirectoryLock(dataDir); // the failed start closed its database
      release();
    } finally {
      blocker.close();
    }
  });
});

/** Ends every session of the database `url` names, as a crashing or restarting server would. */
async function terminateConnections(url: string): Promise<number> {
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ terminated: boolean }>(
      'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [new URL(url).pathname.slice(1)],
    );
    return rows.filter((row) => row.terminated).length;
  } finally {
    await admin.end();
  }
}

if (testEngines().includes('postgres')) {
  describe('serve on a PostgreSQL server', () => {
    test('two hubs starting at once on a fresh database both start: one applies the config, the other finds it applied', async () => {
      const { url, drop } = await createPostgresTestDatabaseUrl();
      const messages: string[] = [];
      const logger = () => createLogger('info', { write: (line: string) => void messages.push((JSON.parse(line) as { msg: string }).msg) });
      const hubs = await Promise.allSettled([startHub({ settings: settings({ databaseUrl: url }), logger: logger() }), startHub({ settings: settings({ databaseUrl: url }), logger: logger() })]);
      try {
        expect(hubs.map((hub) => hub.status)).toEqual(['fulfilled', 'fulfilled']);
        const applied = messages.filter((msg) => msg.startsWith('hub config applied')).sort();
        expect(applied).toEqual([expect.stringMatching(/^hub config applied: API roots: 1 created; organizations: 8 created/), 'hub config applied: no changes']);
      } finally {
        for (const hub of hubs) if (hub.status === 'fulfilled') await hub.value.shutdown();
        await drop();
      }
    });

    test('when the server drops every connection, requests fail cleanly with 503 (never 500, no crash) and the hub recovers', async () => {
      const { url, drop } = await createPostgresTestDatabaseUrl();
      const hub = await startHub({ settings: settings({ databaseUrl: url }), logger: quietLogger() });
      const discover = () => fetch(`${hub.url}/taxii2/`, { headers: { Authorization: DEMO_OPERATOR } });
      try {
        expect((await discover()).status).toBe(200);
        expect(await terminateConnections(url)).toBeGreaterThan(0);

        const during = [];
        for (let i = 0; i < 5; i++) {
          during.push((await discover()).status, (await fetch(`${hub.url}/readyz`)).status);
        }
        expect(during.filter((status) => status !== 200 && status !== 503)).toEqual([]);

        // The pool opens new connections on demand: the hub answers again without a restart.
        let ready = 0;
        for (let attempt = 0; attempt < 20 && ready !== 200; attempt++) ready = (await fetch(`${hub.url}/readyz`)).status;
        expect(ready).toBe(200);
        expect((await discover()).status).toBe(200);
      } finally {
        await hub.shutdown();
        await drop();
      }
    });
  });
}

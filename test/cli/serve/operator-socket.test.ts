import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { withOperatorSocket } from '../../../src/cli/serve/operator-socket';
import { BUNDLED_CONFIG_PATH } from '../../../src/config/hub-config-path';
import { loadSettings, type Settings } from '../../../src/config/settings';
import { createLogger } from '../../../src/http/ops/logging';
import { ACT_AS_HEADER, localSocketPath } from '../../../src/local-socket/local-socket-address';
import { startHub, type RunningHub } from '../../../src/server';
import { cli } from '../../support/cli-run';
import { seedPgliteDataDir } from '../../support/test-databases';

/** The local socket of `serve` on the embedded store: its permissions, its life and the cases it refuses. */

let dataDir: string;
let socketPath: string;
let settings: Settings;
let logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  dataDir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-socket-')));
  socketPath = localSocketPath(dataDir);
  const loaded = loadSettings({}, { port: '0', host: '127.0.0.1', configPath: BUNDLED_CONFIG_PATH, dataDir });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  settings = loaded.settings;
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function startWithSocket(): Promise<RunningHub> {
  logLines = [];
  const logger = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
  return withOperatorSocket(await startHub({ settings, logger, env: {} }), settings, logger);
}

/** One GET on the socket, with extra headers. */
function getOnSocket(pathName: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path: pathName, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('the socket is readable and writable by the hub\'s user only, answers as the operator, and goes at shutdown', async () => {
  const hub = await startWithSocket();
  try {
    const stat = fs.lstatSync(socketPath);
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
    const orgs = await getOnSocket('/admin/api/organizations');
    expect(orgs.status).toBe(200); // no credentials: the socket is the credential
    expect(logLines).toContainEqual(expect.objectContaining({ msg: `local operator socket at ${socketPath}` }));
  } finally {
    await hub.shutdown();
  }
  expect(fs.existsSync(socketPath)).toBe(false);
}, 60_000);

test('acting as a user the hub does not know is refused', async () => {
  const hub = await startWithSocket();
  try {
    const refused = await getOnSocket('/admin/api/organizations', { [ACT_AS_HEADER]: 'nobody-here' });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({ error: { code: 'BAD_REQUEST', title: 'Bad request', message: 'there is no user "nobody-here" (--as)' } });
    // carol is a consumer: acting as her, the audit trail (operators only) is refused.
    expect((await getOnSocket('/admin/api/audit', { [ACT_AS_HEADER]: 'carol' })).status).toBe(403);
  } finally {
    await hub.shutdown();
  }
}, 60_000);

test('the socket of a hub that was killed is replaced at the next start', async () => {
  // A process that listens on the socket's path and dies by SIGKILL leaves the file behind.
  const holder = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('ready'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
  const gone = new Promise((resolve) => holder.once('exit', resolve));
  holder.kill('SIGKILL');
  await gone;
  expect(fs.lstatSync(socketPath).isSocket()).toBe(true);

  const hub = await startWithSocket();
  try {
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'removing the local socket of a hub that did not shut down' }));
    expect((await getOnSocket('/admin/api/organizations')).status).toBe(200);
  } finally {
    await hub.shutdown();
  }
}, 60_000);

test('a data directory every user may write to gets no socket, and the CLI says what to do instead', async () => {
  fs.chmodSync(dataDir, 0o777);
  let hub: RunningHub | undefined;
  try {
    hub = await startWithSocket();
    expect(fs.existsSync(socketPath)).toBe(false);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 40, reason: `the data directory ${dataDir} is writable by every user (chmod o-w it)` }));
    const refused = await cli(['org', 'list', '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`the data directory ${dataDir} is in use by a running hub`);
    expect(refused.err).toContain('--url (or HUB_URL)');
    expect(refused.err).toContain('stop the hub');
  } finally {
    await hub?.shutdown();
    fs.chmodSync(dataDir, 0o700);
  }
}, 60_000);

test('a file in the socket\'s place that is not a socket is left alone', async () => {
  fs.writeFileSync(socketPath, 'not a socket');
  try {
    const hub = await startWithSocket();
    await hub.shutdown();
    expect(fs.readFileSync(socketPath, 'utf8')).toBe('not a socket');
    expect(logLines).toContainEqual(expect.objectContaining({ reason: `${socketPath} exists and is not a socket (remove it)` }));
  } finally {
    fs.rmSync(socketPath, { force: true });
  }
}, 60_000);

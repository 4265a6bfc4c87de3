import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localSocketPath } from '../../../src/local-socket/local-socket-address';
import { cli } from '../../support/cli-run';
import { seedPgliteDataDir } from '../../support/test-databases';
import { startServe } from './cluster-process';

/**
 * The README's order with real processes: `taxii-hub serve` runs in one "terminal", the CLI in
 * another; the hub is killed (SIGKILL) and started again over the socket it left; SIGTERM removes it.
 */

let dataDir: string;
beforeAll(async () => {
  dataDir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-serve-socket-')));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const serve = () => startServe(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], { HUB_DATA_DIR: undefined, DATABASE_URL: undefined });

test('the CLI reaches a running serve process through its socket, across a kill and a restart', async () => {
  const socketPath = localSocketPath(dataDir);
  const first = serve();
  try {
    await first.waitForLog((l) => l.msg === `local operator socket at ${socketPath}`);
    const listed = await cli(['org', 'list', '--data-dir', dataDir]);
    expect(listed).toMatchObject({ code: 0, err: '' });
    expect(listed.out).toMatch(/^ID\s+NAME/);
  } finally {
    first.child.kill('SIGKILL');
    await first.exited;
  }
  expect(fs.lstatSync(socketPath).isSocket()).toBe(true); // left behind by the kill

  const second = serve();
  try {
    await second.waitForLog((l) => l.msg === 'removing the local socket of a hub that did not shut down');
    await second.waitForLog((l) => l.msg === `local operator socket at ${socketPath}`);
    expect((await cli(['user', 'get', 'bob', '--json', '--data-dir', dataDir])).out).toContain('"acme-east"');
  } finally {
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }
  expect(fs.existsSync(socketPath)).toBe(false);
}, 120_000);

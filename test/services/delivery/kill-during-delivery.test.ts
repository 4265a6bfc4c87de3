import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite } from '../../../src/storage/sql/pglite-engine';
import { seedPgliteDataDir } from '../../support/test-databases';
import { labelText, startReceiver, type LoopbackReceiver } from './support/loopback-receiver';
import { COLLECTION_NAME, deliveryWorldOn, fullParameters, pushParameters } from './support/delivery-world';

/**
 * kill -9 during a delivery: a process delivering from an embedded store is killed while the
 * receiver holds its first push open; started again on the same store, it delivers everything the
 * subscriber is entitled to — the interrupted batch again (at least once), nothing missing.
 */

const HOOK = `
const fs = require('node:fs');
const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } });
  module._compile(code, filename);
};
`;

const SCRIPT = path.join(__dirname, 'support', 'delivery-process.ts');
// As long as the hub's own: the restarted process must not wait for the killed one's claim to expire.
const LEASE_MS = 60_000;

describe('a delivery process killed with SIGKILL during a push', () => {
  let dir: string;
  let hook: string;
  let receiver: LoopbackReceiver | undefined;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-kill-'));
    hook = path.join(dir, 'hook.cjs');
    fs.writeFileSync(hook, HOOK);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await receiver?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function startProcess(dataDir: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['-r', hook, SCRIPT, dataDir, String(LEASE_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the delivery process did not start: ${stderr}`)), 30_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('engine started')) {
          clearTimeout(timer);
          resolve(child);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the delivery process exited (${code}): ${stderr}`));
      });
    });
  }

  const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

  test('every record arrives at least once and none is missing after a restart', async () => {
    let holdFirst = true;
    let firstHeld: () => void = () => undefined;
    const firstArrived = new Promise<void>((resolve) => (firstHeld = resolve));
    receiver = await startReceiver(() => {
      if (!holdFirst) return 'success';
      holdFirst = false;
      firstHeld();
      return 'hang'; // the first push is never answered
    });

    const dataDir = await seedPgliteDataDir(path.join(dir, 'store'));
    const db = await openPglite({ dataDir });
    const world = await deliveryWorldOn(db);
    const answer = await world.service.manage(world.users.east, { collectionName: COLLECTION_NAME, action: 'SUBSCRIBE', parameters: fullParameters, push: pushParameters(receiver.url) });
    const id = answer.subscriptions[0]?.id ?? '';
    const labels: number[] = [];
    for (let i = 0; i < 7; i++) labels.push(await world.addIndicator('hq', 'green'));
    await world.close();

    const first = await startProcess(dataDir);
    await firstArrived;
    first.kill('SIGKILL');
    await exited(first);
    expect(first.signalCode).toBe('SIGKILL');

    const second = await startProcess(dataDir);
    const expected = labels.map(labelText);
    await receiver.until(() => expected.every((label) => receiver?.accepted(id).some((p) => p.labels.includes(label))), 30_000, 'every record after the restart');
    second.kill('SIGTERM');
    await exited(second);

    const pushes = receiver.pushes;
    expect(pushes[0]?.answer).toBe('hang');
    // The interrupted batch (batches of 2) was sent again first; then the rest, in order, with no gap.
    const accepted = receiver.accepted(id).flatMap((p) => p.labels);
    expect(accepted).toEqual(expected);
    expect(pushes[1]?.labels).toEqual(pushes[0]?.labels);

    const reopened = await openPglite({ dataDir });
    try {
      const after = await deliveryWorldOn(reopened, world.users);
      expect((await after.subscriptions.get('east', id))?.cursor).toBe(labels[labels.length - 1]);
    } finally {
      await reopened.close();
    }
  });
});

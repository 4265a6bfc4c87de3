import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireDirectoryLock, DirectoryLockedError } from '../../../src/storage/sql/directory-lock';
import { startLockHolder, type LockHolder } from './directory-lock-holder';

/**
 * The data directory lock is one the operating system releases when its holder dies: whatever a
 * lock file says, a directory nobody holds can be locked, and one a live hub holds cannot.
 */

describe('the data directory lock', () => {
  let dataDir: string;
  const holders: LockHolder[] = [];

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-lock-'));
  });

  afterEach(async () => {
    await Promise.all(holders.splice(0).map((h) => h.kill()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const lockFile = () => path.join(dataDir, 'hub.lock');
  const lockedMessage = (pid: number) => `the data directory ${dataDir} is in use by another running hub (pid ${pid}); stop it or choose another HUB_DATA_DIR`;

  describe('a lock file nobody holds is taken over, whatever pid it names', () => {
    test('the pid of a process that no longer runs', () => {
      const gone = spawnSync(process.execPath, ['-e', '']).pid;
      fs.writeFileSync(lockFile(), String(gone));
      const release = acquireDirectoryLock(dataDir);
      expect(fs.readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
      release();
    });

    test("this process's own pid (a container's PID 1 restarting after a kill)", () => {
      fs.writeFileSync(lockFile(), String(process.pid));
      const release = acquireDirectoryLock(dataDir);
      expect(fs.readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
      release();
    });

    test('the pid of another live process that holds no lock (our parent)', () => {
      fs.writeFileSync(lockFile(), String(process.ppid));
      const release = acquireDirectoryLock(dataDir);
      expect(fs.readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
      release();
    });

    test('the pid of another live process, a sleeping child', async () => {
      const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      try {
        fs.writeFileSync(lockFile(), String(sleeper.pid));
        const release = acquireDirectoryLock(dataDir);
        release();
      } finally {
        sleeper.kill('SIGKILL');
        await new Promise((resolve) => sleeper.once('exit', resolve));
      }
    });
  });

  test('a second lock in the same process is refused, naming the directory and the pid', () => {
    const release = acquireDirectoryLock(dataDir);
    try {
      expect(() => acquireDirectoryLock(dataDir)).toThrow(new DirectoryLockedError(dataDir, process.pid));
      expect(() => acquireDirectoryLock(dataDir)).toThrow(lockedMessage(process.pid));
    } finally {
      release();
    }
    acquireDirectoryLock(dataDir)(); // released: free again
  });

  test('two hubs racing for one directory: exactly one wins, the other gets the clear error naming the winner', async () => {
    const [a, b] = await Promise.all([startLockHolder(dataDir), startLockHolder(dataDir)]);
    if (a === undefined || b === undefined) throw new Error('the holders did not start');
    holders.push(a, b);
    const [outcomeA, outcomeB] = await Promise.all([a.go(), b.go()]);
    const winners = [outcomeA, outcomeB].filter((o) => o.locked);
    expect(winners).toHaveLength(1);
    const [winner, loser] = outcomeA.locked ? [a, outcomeB] : [b, outcomeA];
    expect(loser).toEqual({ locked: false, name: 'DirectoryLockedError', message: lockedMessage(winner.pid), holderPid: winner.pid });
    expect(() => acquireDirectoryLock(dataDir)).toThrow(lockedMessage(winner.pid));
  });

  test('after the holder is killed with SIGKILL, the directory can be locked again at once', async () => {
    const holder = await startLockHolder(dataDir);
    holders.push(holder);
    expect(await holder.go()).toEqual({ locked: true });
    expect(() => acquireDirectoryLock(dataDir)).toThrow(lockedMessage(holder.pid));
    await holder.kill();
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(`${holder.pid}\n`); // the dead holder's pid stays behind
    const release = acquireDirectoryLock(dataDir);
    release();
    const next = await startLockHolder(dataDir);
    holders.push(next);
    expect(await next.go()).toEqual({ locked: true });
  });

  test('releasing empties the lock file; releasing twice, or after another took over, leaves the other lock alone', async () => {
    const release = acquireDirectoryLock(dataDir);
    release();
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe('');
    const other = await startLockHolder(dataDir);
    holders.push(other);
    expect(await other.go()).toEqual({ locked: true });
    release();
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(`${other.pid}\n`);
    expect(() => acquireDirectoryLock(dataDir)).toThrow(lockedMessage(other.pid));
  });
});

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireDirectoryLock, DirectoryLockedError } from '../../../src/storage/sql/directory-lock';

describe('the data directory lock', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-lock-'));
  });

  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const lockFile = () => path.join(dataDir, 'hub.lock');

  test('a lock left by a process that no longer runs is taken over', () => {
    // A pid that surely belongs to no running process: one that has just exited.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    fs.writeFileSync(lockFile(), String(gone));
    const release = acquireDirectoryLock(dataDir);
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  test('a lock held by another running process is refused, naming the directory and that pid', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const pid = holder.pid;
      if (pid === undefined) throw new Error('could not start the holder process');
      fs.writeFileSync(lockFile(), String(pid));
      expect(() => acquireDirectoryLock(dataDir)).toThrow(new DirectoryLockedError(dataDir, pid));
      expect(fs.readFileSync(lockFile(), 'utf8')).toBe(String(pid));
    } finally {
      holder.kill();
      await new Promise((resolve) => holder.once('exit', resolve));
    }
  });

  test('releasing twice, or after another process took over, leaves the other lock alone', () => {
    const release = acquireDirectoryLock(dataDir);
    release();
    fs.writeFileSync(lockFile(), '1');
    release();
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe('1');
  });
});

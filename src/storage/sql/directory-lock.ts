import fs from 'node:fs';
import path from 'node:path';

export class DirectoryLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(`the data directory ${dataDir} is in use by another running hub (pid ${holderPid}); stop it or choose another HUB_DATA_DIR`);
    this.name = 'DirectoryLockedError';
  }
}

const LOCK_FILE = 'hub.lock';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock on a data directory through a lock file holding our pid. A lock left by a
 * process that no longer runs is taken over. Returns the release function.
 */
export function acquireDirectoryLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let content: string;
      try {
        content = fs.readFileSync(lockPath, 'utf8');
      } catch (readError) {
        if ((readError as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile: try again
        throw readError;
      }
      const holder = Number.parseInt(content.trim(), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new DirectoryLockedError(dataDir, holder);
      }
      if (holder === process.pid) throw new DirectoryLockedError(dataDir, holder);
      fs.rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not lock the data directory ${dataDir}`);
}

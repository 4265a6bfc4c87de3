import fs from 'node:fs';
import path from 'node:path';
import { flockSync } from 'fs-ext';

/**
 * One hub (or admin CLI) at a time per embedded data directory, through an advisory lock that the
 * operating system holds for us: flock(2) on `hub.lock`, taken through the fs-ext package (a small
 * native addon built from source by node-gyp at install). The kernel releases the lock when the
 * holder's descriptor closes, and so when the holder dies however it dies (SIGKILL, an OOM kill, a
 * crash), so a restart never finds a lock it has to judge. The pid in the file says who holds the
 * lock, for the message only: a pid-only lock refused to start when a stale file named a live
 * process, or the new process itself (the hub is PID 1 in its container after every restart).
 *
 * flock and not fcntl/lockf: flock locks belong to the open file description, so a second open of
 * the directory in the same process is refused too, and closing some other descriptor of the file
 * cannot drop the lock (fcntl locks belong to the process and have both faults). The file is never
 * deleted: deleting a lock file lets two processes lock two different files of the same name.
 */

export class DirectoryLockedError extends Error {
  constructor(
    readonly dataDir: string,
    /** The holder's pid as its lock file says, when it has written it. */
    readonly holderPid: number | undefined,
  ) {
    super(`the data directory ${dataDir} is in use by another running hub${holderPid === undefined ? '' : ` (pid ${holderPid})`}; stop it or choose another HUB_DATA_DIR`);
    this.name = 'DirectoryLockedError';
  }
}

export const LOCK_FILE = 'hub.lock';

/** A holder writes its pid right after taking the lock; a refused opener waits this long for it. */
const HOLDER_PID_WAIT_MS = 100;

/**
 * Takes the exclusive lock on `dataDir` for this process, or throws DirectoryLockedError. Returns
 * the release function (idempotent); exiting releases it too.
 */
export function acquireDirectoryLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, LOCK_FILE);
  // Read-write, created when missing, never truncated before the lock is ours (it holds the holder's pid).
  const fd = fs.openSync(lockPath, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
  try {
    flockSync(fd, 'exnb');
  } catch (error) {
    try {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') throw new DirectoryLockedError(dataDir, holderPid(fd));
      throw error;
    } finally {
      fs.closeSync(fd);
    }
  }
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, `${process.pid}\n`, 0);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      fs.ftruncateSync(fd, 0); // an empty file: nobody holds the directory
    } finally {
      fs.closeSync(fd); // closing the last descriptor releases the lock
    }
  };
}

/** The pid in the lock file, waiting briefly for a holder that has just taken the lock to write it. */
function holderPid(fd: number): number | undefined {
  const deadline = Date.now() + HOLDER_PID_WAIT_MS;
  for (;;) {
    const buffer = Buffer.alloc(32);
    const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const pid = Number.parseInt(buffer.subarray(0, length).toString('latin1').trim(), 10);
    if (Number.isInteger(pid) && pid > 0) return pid;
    if (Date.now() >= deadline) return undefined;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // a start-up path: a short synchronous pause is fine
  }
}

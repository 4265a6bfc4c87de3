import { mkdir, open, readFile, rename, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { CollectionState } from './mirror-lines';

/**
 * The mirror's directory:
 *   state.json           which data file and journal are current, and the collections' states as of the data file;
 *   data-<n>.jsonl       the compacted contents (mirror-lines.ts), written whole then made current;
 *   journal-<n>.jsonl    lines appended by syncs since, each batch ending with a `k` line that commits it;
 *   lock                 the process that is syncing.
 * Crash safety: a batch is fsynced before the next one is written, and a batch without its `k`
 * line is ignored on load (and cut off by the next sync); a new data file is fsynced before
 * state.json names it, and state.json is replaced by an atomic rename.
 */

export const STATE_FILE = 'state.json';
const LOCK_FILE = 'lock';
const FORMAT = 'taxii-hub-mirror/1';

export interface MirrorState {
  readonly format: typeof FORMAT;
  readonly url: string;
  readonly generation: number;
  readonly collections: Readonly<Record<string, CollectionState>>;
}

export const dataFileOf = (generation: number) => `data-${generation}.jsonl`;
export const journalFileOf = (generation: number) => `journal-${generation}.jsonl`;

export class NoMirrorError extends Error {
  constructor(dir: string) {
    super(`There is no mirror in ${dir} yet: sync it first (taxii-hub match --url … without --no-sync)`);
    this.name = 'NoMirrorError';
  }
}

export async function readState(dir: string): Promise<MirrorState | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as MirrorState;
  if (state.format !== FORMAT) throw new Error(`${path.join(dir, STATE_FILE)} is not a taxii-hub mirror (format ${JSON.stringify(state.format)})`);
  return state;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces state.json atomically, after everything it names is durable. */
export async function writeState(dir: string, state: MirrorState): Promise<void> {
  const temporary = path.join(dir, `${STATE_FILE}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(JSON.stringify(state));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path.join(dir, STATE_FILE));
  await syncDir(dir);
}

const CHUNK = 4 * 1024 * 1024;

/**
 * The lines of a file in order, with the byte offset after each; nothing when it does not exist.
 * Read through one reused buffer (not a stream's fresh chunks), so a large mirror loads without a
 * trail of freed buffers the process keeps as resident memory. The last line is yielded only when
 * it ends with a newline (a torn write leaves it without one).
 */
export async function* fileLines(file: string): AsyncGenerator<{ readonly line: string; readonly endsAt: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let filled = 0;
    let offset = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      filled += bytesRead;
      let start = 0;
      for (let newline = buffer.indexOf(10, start); newline !== -1 && newline < filled; newline = buffer.indexOf(10, start)) {
        offset += newline + 1 - start;
        if (newline > start) yield { line: buffer.toString('utf8', start, newline), endsAt: offset };
        start = newline + 1;
      }
      if (bytesRead === 0) return;
      if (start === 0 && filled === buffer.length) throw new Error(`${file} holds a line longer than ${CHUNK} bytes: it is not a mirror file`);
      buffer.copy(buffer, 0, start, filled);
      filled -= start;
    }
  } finally {
    await handle.close();
  }
}

/**
 * The committed lines of a journal, batch by batch (a batch ends with its `k` line), and the byte
 * length they end at: what follows is a batch a crash cut short.
 */
export async function* journalBatches(file: string): AsyncGenerator<{ readonly lines: readonly string[]; readonly endsAt: number }> {
  let batch: string[] = [];
  for await (const { line, endsAt } of fileLines(file)) {
    batch.push(line);
    if (line.startsWith('["k"')) {
      yield { lines: batch, endsAt };
      batch = [];
    }
  }
}

/** Cuts a journal back to its committed length (a crash may have left half a batch). */
export async function cutJournal(file: string, length: number): Promise<void> {
  try {
    const { size } = await stat(file);
    if (size > length) await truncate(file, length);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Appends whole batches, each durable before append returns. */
export async function openJournal(file: string): Promise<{ append(lines: readonly string[]): Promise<void>; close(): Promise<void> }> {
  const handle: FileHandle = await open(file, 'a');
  return {
    async append(lines) {
      await handle.write(`${lines.join('\n')}\n`);
      await handle.datasync();
    },
    close: () => handle.close(),
  };
}

/** Writes a whole file of lines and makes it durable (a new data file, before state.json names it). */
export async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const handle = await open(file, 'w');
  try {
    let buffer: string[] = [];
    let size = 0;
    for (const line of lines) {
      buffer.push(line);
      size += line.length;
      if (size > 1 << 22) {
        await handle.write(`${buffer.join('\n')}\n`);
        buffer = [];
        size = 0;
      }
    }
    if (buffer.length > 0) await handle.write(`${buffer.join('\n')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function removeFiles(dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) await rm(path.join(dir, name), { force: true });
}

/**
 * Takes the directory's lock: one sync at a time. A lock left by a process that no longer runs (a
 * crash, a kill) is taken over; one held by a running process is a clear error.
 */
export async function takeLock(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isSafeInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new Error(`Another sync of the mirror in ${dir} is running (process ${holder}); wait for it to finish (or remove ${file} if that process is not a sync)`, { cause: error });
      }
      await rm(file, { force: true }); // its process is gone: the lock is stale
    }
  }
  throw new Error(`Could not take the lock ${file}: another sync took it at the same moment`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

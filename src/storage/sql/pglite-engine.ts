import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Pool } from 'pg';
import { PoolDatabase, type Database } from './database';
import { acquireDirectoryLock } from './directory-lock';

export interface PgliteOptions {
  /** A directory for a persistent store, or undefined for an in-memory one (tests). */
  readonly dataDir?: string;
}

/**
 * The PostgreSQL settings of the embedded engine, chosen for memory (docs/operations.md, "Memory").
 * PGlite's WebAssembly memory grows and never shrinks, and every page of it that PostgreSQL has
 * touched stays resident for the life of the process. The buffer pool is the largest part: PGlite's
 * default of 128MB fills once the store is larger than that, so it is 16MB here, and reads past it
 * come from the operating system's page cache, outside the process. Maintenance work (CREATE INDEX
 * in a migration) is bounded too, and temporary tables, which the hub does not use, get the minimum.
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  shared_buffers: '16MB',
  wal_buffers: '4MB',
  work_mem: '4MB',
  maintenance_work_mem: '16MB',
  temp_buffers: '1MB',
});

/** PGlite's own start parameters (single-user mode and so on), then PGLITE_SETTINGS: for whatever opens a PGlite. */
export const pgliteStartParams = (): string[] => [
  ...PGlite.defaultStartParams,
  ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
];

/**
 * Creates the PostgreSQL cluster of a new data directory in a short-lived child process. PGlite
 * would run initdb in a second WebAssembly instance inside the hub's process: a peak of some 750 MB,
 * and some 150 MB of freed memory that the C allocator of the process keeps for good. In a child,
 * both go when it exits, and the hub opens an existing cluster like on every later start.
 */
async function createClusterInChild(pgdata: string, params: readonly string[]): Promise<void> {
  const script = [
    'const { PGlite } = require(process.argv[1]);',
    '(async () => {',
    '  const lite = new PGlite(process.argv[2], { startParams: JSON.parse(process.argv[3]) });',
    '  await lite.waitReady;',
    '  await lite.close();',
    '})().catch((error) => { process.stderr.write(String((error && error.stack) || error)); process.exit(1); });',
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script, require.resolve('@electric-sql/pglite'), pgdata, JSON.stringify(params)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 10_000) stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`creating the embedded database in ${pgdata} failed (exit ${code}): ${stderr.trim()}`);
}

/**
 * Opens the embedded engine. A persistent data directory is locked for this process so that a second
 * hub cannot open (and corrupt) it; a new one gets its cluster from a child process first (above).
 * PGlite runs without fsync: data survives a process crash, not a power cut.
 */
export async function openPglite(options: PgliteOptions = {}): Promise<Database> {
  let release = () => {};
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = path.resolve(options.dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
    release = acquireDirectoryLock(dataDir);
  }
  try {
    const params = pgliteStartParams();
    const pgdata = dataDir === undefined ? undefined : path.join(dataDir, 'pgdata');
    if (pgdata !== undefined && !fs.existsSync(path.join(pgdata, 'PG_VERSION'))) await createClusterInChild(pgdata, params);
    const lite = new PGlite(pgdata ?? 'memory://', { startParams: params });
    await lite.waitReady;
    const pool = new Pool(createPgConfig(lite));
    return new PoolDatabase('pglite', pool, async () => {
      await lite.close();
      release();
    });
  } catch (error) {
    release();
    throw error;
  }
}

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
 * Opens the embedded engine. A persistent data directory is locked for this process so that a second
 * hub cannot open (and corrupt) it. PGlite runs without fsync: data survives a process crash, not a
 * power cut.
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
    const lite = new PGlite(dataDir ? path.join(dataDir, 'pgdata') : 'memory://');
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

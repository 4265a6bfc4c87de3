import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/storage/sql/database';
import { openPglite, PGLITE_SETTINGS } from '../../src/storage/sql/pglite-engine';

/**
 * The embedded engine runs with bounded memory settings (docs/operations.md, "Memory"): PGlite's
 * WebAssembly memory never shrinks, so its buffer pool and work areas are what the hub keeps.
 */

const BOUNDED = { shared_buffers: '16MB', wal_buffers: '4MB', work_mem: '4MB', maintenance_work_mem: '16MB', temp_buffers: '1MB' };

async function settingsInForce(db: Database): Promise<Record<string, string>> {
  const shown: Record<string, string> = {};
  for (const name of Object.keys(BOUNDED)) {
    const { rows } = await db.query<Record<string, string>>(`SHOW ${name}`);
    shown[name] = rows[0]?.[name] as string;
  }
  return shown;
}

describe('the PGlite engine opens with bounded memory settings', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the settings are the documented ones', () => {
    expect(PGLITE_SETTINGS).toEqual(BOUNDED);
  });

  test('in memory', async () => {
    const db = await openPglite();
    try {
      expect(await settingsInForce(db)).toEqual(BOUNDED);
    } finally {
      await db.close();
    }
  });

  test('in a new data directory (its cluster made by a child process), and again when it is reopened', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-pglite-memory-'));
    made.push(dataDir);
    const first = await openPglite({ dataDir });
    try {
      expect(fs.existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
      expect(await settingsInForce(first)).toEqual(BOUNDED);
      await first.query('CREATE TABLE kept (n int)');
      await first.query('INSERT INTO kept VALUES (1)');
    } finally {
      await first.close();
    }
    const reopened = await openPglite({ dataDir });
    try {
      expect(await settingsInForce(reopened)).toEqual(BOUNDED);
      expect((await reopened.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 1 }]);
    } finally {
      await reopened.close();
    }
  }, 120_000);

  test('a data directory whose cluster cannot be made: the open fails with the cause, and the directory is not left locked', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-pglite-memory-'));
    made.push(dataDir);
    fs.writeFileSync(path.join(dataDir, 'pgdata'), 'not a directory');
    await expect(openPglite({ dataDir })).rejects.toThrow(`creating the embedded database in ${path.join(dataDir, 'pgdata')} failed`);
    // The lock was released: a second attempt fails the same way, not with "in use by another running hub".
    await expect(openPglite({ dataDir })).rejects.toThrow('creating the embedded database');
  }, 120_000);
});

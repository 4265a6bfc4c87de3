import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Organization } from '../../../src/domain/tenancy';
import { DirectoryLockedError } from '../../../src/storage/sql/directory-lock';
import { openDatabase } from '../../../src/storage/sql/open-database';
import { openPglite } from '../../../src/storage/sql/pglite-engine';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { seedPgliteDataDir } from '../../support/test-databases';

describe('the embedded PGlite engine with a persistent data directory', () => {
  const made: string[] = [];
  const freshDataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-pglite-'));
    made.push(dir);
    return dir;
  };

  afterAll(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a second open of a data directory this process has open is refused, naming the directory and the pid', async () => {
    const dataDir = await seedPgliteDataDir(freshDataDir()); // an existing store: no cluster to create first
    const first = await openPglite({ dataDir });
    try {
      const second = openPglite({ dataDir });
      await expect(second).rejects.toBeInstanceOf(DirectoryLockedError);
      await expect(second).rejects.toMatchObject({
        dataDir: path.resolve(dataDir),
        holderPid: process.pid,
        message: expect.stringContaining(`${path.resolve(dataDir)} is in use by another running hub (pid ${process.pid})`),
      });
      await first.ping(); // the first holder is unaffected
    } finally {
      await first.close();
    }
  });

  test('data persists across close and reopen, and closing releases the directory', async () => {
    const dataDir = freshDataDir();
    const acme: Organization = { id: 'acme', name: 'Acme', parentId: null, managedBy: 'admin' };
    const first = await openDatabase({ engine: 'pglite', dataDir });
    try {
      await createSqlTenancyStore(first).organizations.insert(acme);
    } finally {
      await first.close();
    }
    expect(fs.readFileSync(path.join(dataDir, 'hub.lock'), 'utf8')).toBe(''); // nobody holds it (the file stays)

    const reopened = await openDatabase({ engine: 'pglite', dataDir });
    try {
      expect(await createSqlTenancyStore(reopened).organizations.list()).toEqual([acme]);
    } finally {
      await reopened.close();
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLED_CONFIG_PATH } from '../../../src/config/hub-config-path';
import { loadSettings } from '../../../src/config/settings';
import { createLogger } from '../../../src/http/ops/logging';
import { startHub } from '../../../src/server';
import { openPglite } from '../../../src/storage/sql/pglite-engine';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { seedPgliteDataDir } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';

describe('recorded polls and shutdown', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-poll-marks-')));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('a served hub writes the polls it answered (kept in memory until then) when it shuts down, before its database closes', async () => {
    const loaded = loadSettings({}, { port: '0', host: '127.0.0.1', configPath: BUNDLED_CONFIG_PATH, dataDir });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const hub = await startHub({ settings: loaded.settings, logger: createLogger('silent') });
    const res = await fetch(`${hub.url}/demo/collections/${DEMO_COLLECTIONS.acmeInternal}/objects/`, { headers: { Authorization: demoAuth('carol'), Accept: 'application/taxii+json;version=2.1' } });
    expect(res.status).toBe(200);
    await hub.shutdown(); // well within the 5 s between writes
    const db = await openPglite({ dataDir });
    try {
      const { rows } = await db.query<{ organization_id: string; username: string; protocol: string }>('SELECT organization_id, username, protocol FROM poll_marks');
      expect(rows).toEqual([{ organization_id: 'acme-west', username: 'carol', protocol: 'taxii21' }]);
    } finally {
      await db.close();
    }
  }, 120_000); // a hub start on a loaded machine (the other serve tests allow as much)
});

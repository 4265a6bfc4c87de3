import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLED_CONFIG_PATH } from '../../../src/config/hub-config-path';
import { loadSettings } from '../../../src/config/settings';
import { createLogger } from '../../../src/http/ops/logging';
import { startHub } from '../../../src/server';
import { seedPgliteDataDir } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';
import { openSse } from './stream-sse-client';
import { ACME } from './stream-test-hub';

describe('live streams and shutdown', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-stream-shutdown-')));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('a served hub takes its stream cap from the settings, and shutting it down ends open streams first (no shutdown timeout to fall back on here)', async () => {
    // STREAMS_PER_KEY as an operator sets it (the environment): one stream per user here.
    const loaded = loadSettings({ STREAMS_PER_KEY: '1' }, { port: '0', host: '127.0.0.1', configPath: BUNDLED_CONFIG_PATH, dataDir });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    // An hour: were the streams left open, the shutdown would hang and the test time out.
    const hub = await startHub({ settings: loaded.settings, logger: createLogger('silent'), shutdownTimeoutMs: 3_600_000 });
    const streams = await Promise.all(['alice', 'bob', 'carol'].map((user) => openSse(`${hub.url}/api/collections/${ACME}/stream`, { Authorization: demoAuth(user) })));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    const second = await openSse(`${hub.url}/api/collections/${ACME}/stream`, { Authorization: demoAuth('alice') });
    expect(second.status).toBe(429);
    await hub.shutdown();
    await Promise.all(streams.map((s) => s.ended));
  }, 120_000); // a hub start on a loaded machine (the other serve tests allow as much)
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLED_CONFIG_PATH } from '../../src/config/hub-config-path';
import { loadSettings } from '../../src/config/settings';
import { createLogger } from '../../src/http/ops/logging';
import { startHub, type RunningHub } from '../../src/server';
import { DEMO_COLLECTIONS } from '../support/demo-config';
import { importCli, writeJson } from '../support/import-cli';
import { indicator } from '../support/stix-fixtures';
import { seedPgliteDataDir } from '../support/test-databases';

/** `taxii-hub import --url`: into a running hub over TAXII 2.1 and the hub API, as the credentials' user. */

const CLI_ENV = ['HUB_URL', 'HUB_USER', 'HUB_PASSWORD', 'HUB_API_KEY'] as const;
const savedEnv = Object.fromEntries(CLI_ENV.map((name) => [name, process.env[name]]));
const setEnv = (values: Partial<Record<(typeof CLI_ENV)[number], string>>) => {
  for (const name of CLI_ENV) {
    const value = values[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
};

let hub: RunningHub;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-import-remote-'));
const input = path.join(scratch, 'in');
const collection = DEMO_COLLECTIONS.acmeInternal;

beforeAll(async () => {
  const dataDir = await seedPgliteDataDir(path.join(scratch, 'data'));
  const loaded = loadSettings({}, { port: '0', host: '127.0.0.1', configPath: BUNDLED_CONFIG_PATH, dataDir });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  hub = await startHub({ settings: loaded.settings, logger: createLogger('silent'), env: {} });
  writeJson(path.join(input, 'a-bundle.json'), { type: 'bundle', id: 'bundle--6d1f0a1e-3b0c-4a51-9d51-000000000002', objects: [indicator({ modified: '2026-01-01T00:00:00.000Z' }), indicator({ pattern: '[ipv4-addr:value = ]' })] });
  writeJson(path.join(input, 'b-submission.json'), { valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: '198.51.100.45' }, { kind: 'file-hash', algorithm: 'MD5', value: 'abc' }] });
  writeJson(path.join(input, 'd-backwards.json'), { valid_from: '2026-11-01T00:00:00Z', valid_until: '2026-10-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: '198.51.100.47' }] });
  writeJson(path.join(input, 'c-other.json'), { collection: DEMO_COLLECTIONS.isacFeed, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: '198.51.100.46' }] });
});
afterAll(async () => {
  setEnv(savedEnv);
  await hub?.shutdown();
  fs.rmSync(scratch, { recursive: true, force: true });
});

test("a provider imports a folder into a running hub; rejections and the summary read as for a local import, and a second run changes nothing", async () => {
  setEnv({ HUB_USER: 'bob', HUB_PASSWORD: 'bob-demo-pw' });
  const run = await importCli([input, '--collection', collection, '--url', hub.url]);
  expect(run.out).toBe('created 2, updated 0, unchanged 0, rejected 2 (4 files, 2 failed)');
  expect(run.code).toBe(1);
  expect(run.progress).toContain("pattern: is not a valid STIX pattern");
  expect(run.progress).toContain('indicators[1]: value: MD5 is 32 hex digits, got 3');
  expect(run.progress).toMatch(/c-other\.json: not imported: the submission names collection /);
  // The hub's own refusal of a whole document (a 400 over HTTP) fails that file only, with the hub's words.
  expect(run.progress).toMatch(/d-backwards\.json: not imported: .*valid_until: must be later than valid_from/);

  const again = await importCli([path.join(input, 'b-submission.json'), '--collection', collection, '--url', hub.url, '--json']);
  expect(JSON.parse(again.out)).toMatchObject({ created: 0, unchanged: 1, rejected: 1 });
});

test('credentials that may not write to the collection, or none, stop the import with one clear line', async () => {
  setEnv({ HUB_USER: 'carol', HUB_PASSWORD: 'carol-demo-pw' });
  const consumer = await importCli([input, '--collection', collection, '--url', hub.url]);
  expect(consumer.code).toBe(1);
  expect(consumer.err).toBe(`taxii-hub: the credentials may not write to collection ${collection}`);

  setEnv({});
  const anonymous = await importCli([input, '--collection', collection, '--url', hub.url]);
  expect(anonymous.err).toBe('taxii-hub: with --url, set HUB_API_KEY, or give --login (or HUB_USER) and HUB_PASSWORD');

  setEnv({ HUB_USER: 'bob', HUB_PASSWORD: 'bob-demo-pw' });
  const both = await importCli([input, '--collection', collection, '--url', hub.url, '--as', 'bob']);
  expect(both.err).toMatch(/--as is for working on the database/);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLED_CONFIG_PATH } from '../../src/config/hub-config-path';
import { loadSettings } from '../../src/config/settings';
import { createLogger } from '../../src/http/ops/logging';
import { startHub, type RunningHub } from '../../src/server';
import { seedPgliteDataDir } from './test-databases';

/** The variables the CLI reads for a running hub; tests start without them and they are restored afterwards. */
const CLI_ENV = ['HUB_URL', 'HUB_USER', 'HUB_PASSWORD', 'HUB_API_KEY'] as const;

export interface RunningHubCli {
  /** `--url <hub>`, filled in once the hub listens (spread it into a command's arguments). */
  readonly remote: string[];
  /** The CLI's credentials: a demo user's (HUB_USER, HUB_PASSWORD `<user>-demo-pw`), or none; every other variable named cleared. */
  as(user: string | undefined): void;
}

/**
 * For CLI tests against a running hub: registers beforeAll/afterAll hooks that start the hub in this
 * process (demo configuration, a fresh embedded store in a temporary folder named from `prefix`) and
 * stop it, and save and restore the CLI's environment variables (and `moreEnv`).
 */
export function runningHubForCli(prefix: string, moreEnv: readonly string[] = []): RunningHubCli {
  const names = [...CLI_ENV, ...moreEnv];
  const savedEnv = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  const remote: string[] = [];
  let hub: RunningHub | undefined;
  let dataDir: string | undefined;
  const as = (user: string | undefined): void => {
    for (const name of names) delete process.env[name];
    if (user) {
      process.env.HUB_USER = user;
      process.env.HUB_PASSWORD = `${user}-demo-pw`;
    }
  };

  beforeAll(async () => {
    dataDir = await seedPgliteDataDir(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    const loaded = loadSettings({}, { port: '0', host: '127.0.0.1', configPath: BUNDLED_CONFIG_PATH, dataDir });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    hub = await startHub({ settings: loaded.settings, logger: createLogger('silent'), env: {} });
    remote.push('--url', hub.url);
  });
  afterAll(async () => {
    as(undefined);
    for (const [name, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[name] = value;
    await hub?.shutdown();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { remote, as };
}

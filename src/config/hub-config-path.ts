import path from 'node:path';

/** The package root, two levels above this file both in src/config (tests) and dist/config (built). */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/** The demo configuration shipped with the package: what `npm start` runs with. */
export const BUNDLED_CONFIG_PATH = path.join(PACKAGE_ROOT, 'collections');

/**
 * Where the hub configuration is read from when no path is given: HUB_CONFIG (relative to the
 * working directory), else the bundled collections/ folder.
 */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.HUB_CONFIG;
  return fromEnv ? path.resolve(fromEnv) : BUNDLED_CONFIG_PATH;
}

import os from 'node:os';
import type { Command } from 'commander';
import { localOperator } from '../../domain/principal';
import { createAdminService } from '../../services/admin';
import { loadSettings, type Settings } from '../../config/settings';
import { createLogger } from '../../http/ops/logging';
import { createSharingServices } from '../../hub-composition';
import type { Database } from '../../storage/sql/database';
import { openDatabase } from '../../storage/sql/open-database';
import { createSqlTenancyStore } from '../../storage/sql/sql-tenancy-store';
import { localExecutor, remoteExecutor, type AdminExecutor } from './admin-executor';
import { remoteHub, type HubEndpoint } from './remote-hub';
import { hubHoldingDirectory } from './running-hub';
import { DirectoryLockedError } from '../../storage/sql/directory-lock';
import { readConfigDeclarations } from '../../config/config-declarations';
import { defaultConfigPath } from '../../config/hub-config-path';

export { remoteHub } from './remote-hub';

export interface ConnectionOptions {
  readonly url?: string;
  readonly login?: string;
  readonly databaseUrl?: string;
  readonly dataDir?: string;
}

/** The options every admin command shares: where the hub is, and who acts. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option('--url <url>', 'a running hub to administer over its admin API (env HUB_URL); credentials from HUB_API_KEY, or --login/HUB_USER with HUB_PASSWORD')
    .option('--login <username>', 'user for --url with Basic authentication (env HUB_USER; password from HUB_PASSWORD)')
    .option('--database-url <url>', 'without --url: administer this PostgreSQL database directly (env DATABASE_URL)')
    .option('--data-dir <dir>', 'without --url: administer this embedded store (env HUB_DATA_DIR); while a hub runs on it, through the hub\'s local socket')
    .option('--json', 'print the API response as JSON');
}

/**
 * With a hub URL, talks to its admin API with the given credentials. Otherwise opens the database
 * itself and acts as the local operator (the shell user), with the same validation, permissions and
 * audit as the API; when a running hub holds the embedded store, talks to that hub over its local
 * socket instead (as the local operator `local-socket`).
 */
export async function openExecutor(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Promise<AdminExecutor> {
  const remote = remoteHub(options, env);
  if (remote) return remoteExecutor(remote);
  const opened = await openLocalOrRunningHub(options, env);
  if (opened.kind === 'running-hub') return remoteExecutor(opened.hub);
  const { db } = opened;
  const store = createSqlTenancyStore(db);
  // A refused change to a config-managed entity names where HUB_CONFIG (or the bundled config) declares it.
  const admin = createAdminService({ store, configDeclarations: await readConfigDeclarations(defaultConfigPath(env)) });
  const sharing = createSharingServices({ db, store, logger: createLogger('warn', { write: (line: string) => void process.stderr.write(line) }) });
  return localExecutor(admin, { submissions: sharing.submissions, indicators: sharing.indicators, sightings: sharing.sightings }, localOperator(os.userInfo().username), () => db.close());
}

/**
 * Opens the database the settings name, or, when a running hub holds the embedded store's directory,
 * the hub itself over its local socket (as the local operator, or as `actAs`); when neither works,
 * an Error that says what to do.
 */
export async function openLocalOrRunningHub(
  options: Pick<ConnectionOptions, 'databaseUrl' | 'dataDir'>,
  env: NodeJS.ProcessEnv = process.env,
  actAs?: string,
): Promise<({ kind: 'database' } & Awaited<ReturnType<typeof openLocalDatabase>>) | { kind: 'running-hub'; hub: HubEndpoint }> {
  try {
    return { kind: 'database', ...(await openLocalDatabase(options, env)) };
  } catch (error) {
    if (error instanceof DirectoryLockedError) return { kind: 'running-hub', hub: hubHoldingDirectory(error, actAs) };
    throw error;
  }
}

/** Opens the database the settings name (DATABASE_URL, else the embedded store in HUB_DATA_DIR), for commands that work on it directly. */
export async function openLocalDatabase(options: Pick<ConnectionOptions, 'databaseUrl' | 'dataDir'>, env: NodeJS.ProcessEnv = process.env): Promise<{ db: Database; settings: Settings }> {
  const loaded = loadSettings(env, { databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  const { settings } = loaded;
  const db = await openDatabase(settings.databaseUrl ? { engine: 'postgres', url: settings.databaseUrl } : { engine: 'pglite', dataDir: settings.dataDir });
  return { db, settings };
}

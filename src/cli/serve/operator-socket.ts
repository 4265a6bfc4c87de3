import type { Settings } from '../../config/settings';
import type { Logger } from '../../http/ops/logging';
import { serveLocalSocket } from '../../local-socket/local-socket-server';
import type { RunningHub } from '../../server';
import { createSqlTenancyStore } from '../../storage/sql/sql-tenancy-store';

/**
 * The local socket of `taxii-hub serve` (local-socket/): a hub on the embedded store serves its app
 * on `<data dir>/hub.sock` too, so that CLI commands run beside it (which cannot open the store the
 * hub holds) reach it there as the local operator. Returns the hub with a shutdown that closes the
 * socket (and removes its file) first.
 *
 * Only a single-process hub on the embedded store serves one. On PostgreSQL (and so in cluster mode,
 * `--workers N`, which needs PostgreSQL) the CLI opens the database itself while the hub runs, and
 * no process holds a data directory: none serves a socket. A socket that cannot be served (a data
 * directory everyone may write to, a path too long) is a warning, not a failed start.
 */
export async function withOperatorSocket(hub: RunningHub, settings: Pick<Settings, 'databaseUrl' | 'dataDir'>, logger: Logger): Promise<RunningHub> {
  if (settings.databaseUrl !== undefined) return hub;
  const users = createSqlTenancyStore(hub.database).users;
  let outcome;
  try {
    outcome = await serveLocalSocket({ dataDir: settings.dataDir, app: hub.app, userByUsername: (name) => users.getByUsername(name), logger });
  } catch (error) {
    outcome = { serving: false as const, reason: error instanceof Error ? error.message : String(error) };
  }
  if (!outcome.serving) {
    logger.warn({ reason: outcome.reason }, `no local socket (${outcome.reason}): CLI commands on ${settings.dataDir} need --url while the hub runs`);
    return hub;
  }
  const { socket } = outcome;
  logger.info({ path: socket.path }, `local operator socket at ${socket.path}`);
  let stopping: Promise<void> | undefined;
  return {
    ...hub,
    shutdown: () =>
      (stopping ??= (async () => {
        await socket.close();
        await hub.shutdown();
      })()),
  };
}

import cluster from 'node:cluster';
import { CommanderError, type Command } from 'commander';
import { SETTING_DEFINITIONS, loadSettings, type SettingKey, type SettingOverrides, type Settings } from '../config/settings';
import { createLogger, type Logger } from '../http/ops/logging';
import { prepareStore, StartupError, startHub, type RunningHub } from '../server';
import { checkConnectionBudget, superviseWorkers } from './serve/cluster-primary';
import { runWorker } from './serve/cluster-worker';
import { withOperatorSocket } from './serve/operator-socket';
import { shutdownAndExit } from './serve/shutdown';
import { workerRoleFrom } from './serve/worker-role';

/**
 * `taxii-hub serve`: every setting is a flag (winning over its environment variable), the help
 * lists each with its variable and default. SIGTERM/SIGINT shut down gracefully and exit 0.
 * With more than one worker (`--workers`, PostgreSQL only) this process becomes the primary that
 * prepares the store once and supervises the workers (serve/cluster-primary.ts); the workers run
 * this same command and find their role in their environment (serve/worker-role.ts).
 * A single-process hub on the embedded store also serves its local socket (serve/operator-socket.ts).
 */
export function registerServeCommand(program: Command): void {
  const serve = program.command('serve').description('run the hub: TAXII 2.1, the admin API and the ops endpoints over HTTP');
  for (const def of SETTING_DEFINITIONS) {
    if (def.flag) serve.option(`--${def.flag} <${def.argName}>`, `${def.description} (env ${def.env}, default ${def.defaultText})`);
  }
  const envOnly = SETTING_DEFINITIONS.filter((def) => !def.flag);
  serve.addHelpText(
    'after',
    [
      '',
      'Environment only:',
      ...envOnly.map((def) => `  ${def.env.padEnd(24)} ${def.description} (default ${def.defaultText})`),
      '',
      'Ops endpoints without authentication: /healthz (liveness), /readyz (database reachable), /metrics (Prometheus).',
    ].join('\n'),
  );
  serve.action(async (flags: Record<string, unknown>) => {
    const loaded = loadSettings(process.env, overridesFromFlags(flags));
    if (!loaded.ok) {
      for (const problem of loaded.errors) console.error(`taxii-hub: ${problem.path}: ${problem.message}`);
      throw new CommanderError(1, 'taxii-hub.settings', 'invalid settings');
    }
    const { settings } = loaded;
    const logger = createLogger(settings.logLevel);
    const role = cluster.isWorker ? workerRoleFrom(process.env) : undefined;
    if (role) {
      await runWorker(role, logger, (workerLogger) => explainStartup(() => startHub({ settings, logger: workerLogger, env: process.env, worker: role })));
    } else if (settings.workers > 1 && cluster.isPrimary) {
      await runPrimary(settings, logger);
    } else {
      // A worker of another cluster manager (pm2 cluster mode) cannot fork workers of its own.
      if (settings.workers > 1) logger.warn({ workers: settings.workers }, 'running as a worker of another cluster manager: --workers is ignored');
      const hub = await explainStartup(() => startHub({ settings, logger, env: process.env }));
      stopOnSignals(await withOperatorSocket(hub, settings, logger), logger);
    }
  });
}

/** Prepares the store once, then runs the workers until they have all stopped; exits with the primary's status. */
async function runPrimary(settings: Settings, baseLogger: Logger): Promise<void> {
  const logger = baseLogger.child({ role: 'primary' });
  const hub = await explainStartup(() =>
    prepareStore({ settings, logger, env: process.env, inspect: (db) => checkConnectionBudget(db, settings.workers, logger) }),
  );
  const code = await superviseWorkers({ workers: settings.workers, hub, logger });
  logger.flush();
  process.exit(code);
}

/** Commander's camelCased flag values, keyed by setting. */
export function overridesFromFlags(flags: Readonly<Record<string, unknown>>): SettingOverrides {
  const overrides: Partial<Record<SettingKey, string>> = {};
  for (const def of SETTING_DEFINITIONS) {
    if (!def.flag) continue;
    const value = flags[def.flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())];
    if (typeof value === 'string') overrides[def.key] = value;
  }
  return overrides;
}

/** Runs a start; a StartupError is printed with its problems and ends the command with status 1. */
async function explainStartup<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    console.error(`taxii-hub: ${error.message}`);
    for (const problem of error.problems) console.error(`  ${problem}`);
    throw new CommanderError(1, 'taxii-hub.start', error.message);
  }
}

function stopOnSignals(hub: RunningHub, logger: Logger): void {
  const stop = (signal: NodeJS.Signals) => shutdownAndExit(hub, logger, signal);
  // `once`: a second Ctrl-C falls back to Node's default and ends the process at once.
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

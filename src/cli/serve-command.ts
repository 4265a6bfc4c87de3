import { CommanderError, type Command } from 'commander';
import { SETTING_DEFINITIONS, loadSettings, type SettingKey, type SettingOverrides, type Settings } from '../config/settings';
import { createLogger, type Logger } from '../http/ops/logging';
import { StartupError, startHub, type RunningHub } from '../server';

/**
 * `taxii-hub serve`: every setting is a flag (winning over its environment variable), the help
 * lists each with its variable and default. SIGTERM/SIGINT shut down gracefully and exit 0.
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
    const logger = createLogger(loaded.settings.logLevel);
    const hub = await startOrExplain(loaded.settings, logger);
    stopOnSignals(hub, logger);
  });
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

async function startOrExplain(settings: Settings, logger: Logger): Promise<RunningHub> {
  try {
    return await startHub({ settings, logger, env: process.env });
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    console.error(`taxii-hub: ${error.message}`);
    for (const problem of error.problems) console.error(`  ${problem}`);
    throw new CommanderError(1, 'taxii-hub.start', error.message);
  }
}

function stopOnSignals(hub: RunningHub, logger: Logger): void {
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping');
    hub.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // `once`: a second Ctrl-C falls back to Node's default and ends the process at once.
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

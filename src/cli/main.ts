import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { registerServeCommand } from './serve-command';
import { registerCheckConfigCommand } from './check-config-command';
import { registerAdminCommands } from './admin-commands';
import { registerImportCommand } from './import-command';
import { registerWebhookCommands } from './webhook-commands';
import { registerForwardCommands } from './forward-command';
import { registerSightingCommands } from './sighting-commands';
import { registerMatchCommand } from './match/match-command';
import { registerPivotCommand } from './analysis/pivot-command';
import { registerCampaignCommand } from './analysis/campaign-command';
import { runProgram } from './run-program';

/** The package's version, from its package.json (two levels up from src/cli and from dist/cli alike). */
export function packageVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/** The `taxii-hub` command. Each sub-command lives in a module of its own. */
export function buildProgram(): Command {
  const program = new Command('taxii-hub')
    .description('Multi-tenant threat-intelligence sharing hub (TAXII 2.1 and TAXII 1.1)')
    .version(packageVersion(), '-V, --version', 'print the version of taxii-hub')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerCheckConfigCommand(program);
  registerAdminCommands(program);
  registerImportCommand(program);
  registerWebhookCommands(program);
  registerForwardCommands(program);
  registerSightingCommands(program);
  registerMatchCommand(program);
  registerPivotCommand(program);
  registerCampaignCommand(program);
  return program;
}

/** Runs the command line and sets the process's exit status. */
export function runCli(argv: readonly string[] = process.argv): void {
  runProgram(buildProgram(), argv);
}

// `node dist/cli/main.js …` (npm start) runs it directly; the package's bin (bin/taxii-hub.js) calls runCli.
if (require.main === module) runCli();

import { Command } from 'commander';
import { runProgram } from '../run-program';
import { registerMatchCommand } from './match-command';

/**
 * `taxii-hub match` alone (bin/taxii-hub.js comes here for it): the same command as in the whole
 * program, without loading the hub (the database engines, express, the schemas), which saves every
 * run from cron about half a second and 40 MB.
 */
export function buildMatchProgram(): Command {
  const program = new Command('taxii-hub').showHelpAfterError().exitOverride();
  registerMatchCommand(program);
  return program;
}

export function runMatchCli(argv: readonly string[] = process.argv): void {
  runProgram(buildMatchProgram(), argv);
}

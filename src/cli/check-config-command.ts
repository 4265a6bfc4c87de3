import type { Command } from 'commander';
import { describeHubConfig, formatConfigProblem, type HubConfig } from '../config/hub-config';
import { defaultConfigPath, loadHubConfig } from '../config/load-hub-config';

/** Where the command writes; the console by default, replaceable in tests. */
export interface CheckConfigOutput {
  out(text: string): void;
  err(text: string): void;
}

const consoleOutput: CheckConfigOutput = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

/**
 * `taxii-hub check-config [path]`: validates a hub configuration without touching any database.
 * Exit code 0 when valid, 1 with every problem listed otherwise.
 */
export function registerCheckConfigCommand(program: Command, output: CheckConfigOutput = consoleOutput): void {
  program
    .command('check-config')
    .description('validate a hub configuration (a YAML file or a folder of them) and list every problem')
    .argument('[path]', 'configuration file or folder (default: $HUB_CONFIG, else the bundled collections/ folder)')
    .option('--json', 'print the outcome as JSON on stdout')
    .addHelpText(
      'after',
      [
        '',
        'Checks the schema (no unknown keys, required fields, id formats) and every cross-reference',
        '(organizations, trust group trees and peer links, collection owners, duplicate ids across files),',
        "and that no collection says attribution: attributed where a trust group governing it hides attribution.",
        'Exit code: 0 when the configuration is valid, 1 otherwise.',
        '',
        'Examples:',
        '  taxii-hub check-config',
        '  taxii-hub check-config ./my-hub/',
        '  taxii-hub check-config hub.yaml --json',
      ].join('\n'),
    )
    .action(async (target: string | undefined, options: { json?: boolean }) => {
      const configPath = target ?? defaultConfigPath();
      const result = await loadHubConfig(configPath);
      if (options.json) {
        const body = result.ok
          ? { ok: true, path: configPath, sources: result.sources, counts: counts(result.config) }
          : { ok: false, path: configPath, problems: result.errors };
        output.out(JSON.stringify(body, null, 2));
      } else if (result.ok) {
        output.out(`configuration OK: ${describeHubConfig(result.config)} (${configPath})`);
      } else {
        output.err(`configuration ${configPath} has ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}:`);
        for (const problem of result.errors) output.err(formatConfigProblem(problem));
      }
      if (!result.ok) process.exitCode = 1;
    });
}

function counts(config: HubConfig): Record<string, number> {
  return {
    organizations: config.organizations.length,
    users: config.users.length,
    trust_groups: config.trustGroups.length,
    collections: config.collections.length,
    api_roots: config.apiRoots.length,
  };
}

import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { LOG_FORMATS, type LogFormat } from '../../domain/matching/match-types';
import { TLP_LEVELS, type TlpLevel } from '../../domain/tenancy';

/** What `taxii-hub match` is given, as commander parses it. */
export interface MatchOptions {
  readonly url?: string;
  readonly login?: string;
  readonly mirror?: string;
  readonly collection?: readonly string[];
  /** False with --no-sync. */
  readonly sync: boolean;
  readonly fullSync?: boolean;
  readonly format: LogFormat | 'auto';
  readonly json?: boolean;
  readonly report?: boolean;
  readonly marking: TlpLevel;
  readonly quiet?: boolean;
}

/** Exit codes, as grep uses them but the other way round: a hit is what cron and CI look for. */
export const EXIT_NO_HIT = 0;
export const EXIT_HIT = 1;
export const EXIT_ERROR = 2;

/**
 * Where the mirror lives by default: TAXII_HUB_MIRROR, else taxii-hub/mirror under the user's data
 * folder ($XDG_DATA_HOME, else ~/.local/share).
 */
export function defaultMirrorDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TAXII_HUB_MIRROR) return env.TAXII_HUB_MIRROR;
  const data = env.XDG_DATA_HOME !== undefined && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : path.join(os.homedir(), '.local', 'share');
  return path.join(data, 'taxii-hub', 'mirror');
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const MATCH_HELP_AFTER = `
Inputs: files, folders (every file below them), '-' or nothing for standard input. Compressed files
(gzip: mail.log.2.gz) are read as they are. Each line is read in the format given with --format, or in
auto mode as the first format that recognises it (postfix, exim, exchange, squid, nginx, apache, zeek,
iptables, nftables, ecs, and 'values': one bare IP, host, URL, e-mail address or hash per line).

Output: one row per hit (input:line, field, value as logged, indicator, kind, collection, TLP,
campaigns, provider, how it matched) on standard output, or one JSON object per hit with --json; a
summary on standard error (--quiet leaves it out).

Exit code: 0 nothing matched; 1 at least one hit; 2 an error (a bad option, no mirror, the hub
unreachable for the sync or the report, an input that cannot be read). The scan goes on as far as it
can (a failed sync: with the mirror as last synced; an unreadable input: with the others) and prints
its hits; 2 wins over 1.

--report sends the hub, per indicator found, only its id, how many log lines it was found in and the
first and last of their times (never a log line or a value as logged); the hub records them as STIX
2.1 sightings readable by the indicator's provider, you, and who the marking lets.

Examples:
  HUB_URL=https://hub.example HUB_API_KEY=thk_... taxii-hub match /var/log/mail.log
  taxii-hub match --no-sync /var/log/squid/        # offline: the mirror as it was last synced
  zcat /var/log/nginx/access.log.*.gz | taxii-hub match --format nginx --json
  taxii-hub match --report --marking amber /var/log/mail.log.1`;

/** Declares the command's arguments and options; a bad option exits with 2, as every other error. */
export function declareMatchCommand(command: Command): Command {
  return command
    .description("find the hub's shared indicators in your own logs (mail, proxy, web, Zeek, firewall, ECS JSON), against a local mirror synced from the hub")
    .argument('[paths...]', "log files or folders (recursively); '-' or none: standard input")
    .option('--url <url>', 'the hub to sync the mirror from and report to (env HUB_URL); credentials from HUB_API_KEY, or --login/HUB_USER with HUB_PASSWORD')
    .option('--login <username>', 'user for --url with Basic authentication (env HUB_USER; password from HUB_PASSWORD)')
    .option('--mirror <dir>', 'the local mirror of the indicators you may read (env TAXII_HUB_MIRROR; default ~/.local/share/taxii-hub/mirror)')
    .option('--collection <id|alias>', 'only this collection (repeatable; default: every collection you may read)', collect)
    .option('--no-sync', 'scan with the mirror as it is, without asking the hub (offline)')
    .option('--full-sync', 'sync the mirror from the beginning instead of from where it stopped')
    .addOption(new Option('--format <name>', 'the log format of every input, or auto to detect it per line').choices([...LOG_FORMATS, 'auto']).default('auto'))
    .option('--json', 'print one JSON object per hit (JSON lines)')
    .option('--report', 'report the hits to the hub as sightings (counts and times only; see below)')
    .addOption(new Option('--marking <tlp>', 'the TLP marking of the reported sightings').choices([...TLP_LEVELS]).default('amber'))
    .option('--quiet', 'no summary, progress or sync messages on standard error (hits and errors are still printed)')
    .addHelpText('after', MATCH_HELP_AFTER)
    .exitOverride((error) => {
      // Help and version are not errors; everything commander refuses is a usage error (2), not a hit (1).
      throw error.exitCode === 0 ? error : new CommanderError(EXIT_ERROR, error.code, error.message);
    });
}

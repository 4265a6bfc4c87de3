import fs from 'node:fs';
import type { Command } from 'commander';
import type { ConnectionOptions } from './admin/admin-connection';
import { action } from './admin-commands';

/**
 * `taxii-hub forward add|list|show|pause|resume|remove`: forwards to TAXII 2.1 servers, over a running
 * hub's API (/api/forwards; --url, credentials from HUB_API_KEY or --login with HUB_PASSWORD). The
 * remote's secret (password, token, header value) comes from an environment variable or standard
 * input, never from a flag (ps shows those).
 */

type Options = ConnectionOptions & { json?: boolean } & Record<string, unknown>;

const enc = encodeURIComponent;
const list = (value: unknown): string[] | undefined => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : undefined);

/** The remote's secret: from --secret-env VAR, or --secret-stdin. */
function readSecret(options: Options): string {
  if (typeof options.secretEnv === 'string') {
    const value = process.env[options.secretEnv];
    if (value === undefined || value === '') throw new Error(`${options.secretEnv} is not set (--secret-env names the variable holding the remote's secret)`);
    return value;
  }
  if (options.secretStdin) return fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  throw new Error("give the remote's secret (password, token or header value) with --secret-env <VAR> or --secret-stdin");
}

/** The credentials a `forward add` names. */
export function credentialsOf(options: Options): Record<string, string> | undefined {
  const auth = typeof options.auth === 'string' ? options.auth : 'none';
  switch (auth) {
    case 'none':
      return undefined;
    case 'basic':
      if (typeof options.username !== 'string') throw new Error('--auth basic needs --username');
      return { kind: 'basic', username: options.username, password: readSecret(options) };
    case 'bearer':
      return { kind: 'bearer', token: readSecret(options) };
    case 'header':
      if (typeof options.header !== 'string') throw new Error('--auth header needs --header <name> (e.g. X-API-Key)');
      return { kind: 'header', name: options.header, value: readSecret(options) };
    default:
      throw new Error(`--auth must be none, basic, bearer or header (not ${auth})`);
  }
}

const defined = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));

export function registerForwardCommands(program: Command): void {
  const forward = program.command('forward').description('forward what an organization may read to a collection on a TAXII 2.1 server (hub API)');
  action(
    forward
      .command('add <collection> <api-root-url> <remote-collection>')
      .description('forward a hub collection (id or alias) to a remote TAXII 2.1 collection')
      .option('--auth <kind>', 'none, basic, bearer or header', 'none')
      .option('--username <name>', 'basic: the remote user')
      .option('--header <name>', 'header: the header carrying the API key, e.g. X-API-Key')
      .option('--secret-env <var>', "read the remote's password, token or header value from this environment variable")
      .option('--secret-stdin', "read the remote's password, token or header value from standard input")
      .option('--types <list>', 'only these STIX types (comma-separated)')
      .option('--kinds <list>', 'only indicators of these kinds (comma-separated)')
      .option('--max-objects <n>', 'objects per request (1-500, default 100)', Number)
      .option('--max-bytes <n>', 'bytes per request, about (default 1 MiB)', Number)
      .option('--from-beginning', 'also forward everything the organization may read now (default: changes from now on)')
      .option('--organization <id>', 'operators: the organization the forward is for')
      .option('--run-as <user>', "the organization's user whose read access the forward uses (default: you)"),
    ([collection, apiRootUrl, remoteCollection], o) => {
      const types = list(o.types);
      const kinds = list(o.kinds);
      return {
        api: 'hub', method: 'post', path: '/forwards',
        body: defined({
          collection, api_root_url: apiRootUrl, remote_collection: remoteCollection, credentials: credentialsOf(o),
          filter: types || kinds ? defined({ types, kinds }) : undefined,
          max_objects: o.maxObjects, max_bytes: o.maxBytes, start: o.fromBeginning ? 'beginning' : undefined,
          organization: o.organization, run_as: o.runAs,
        }),
      };
    },
  );
  action(forward.command('list').description('forwards with their delivery status').option('--organization <id>', 'operators: only this organization\'s'), (_a, o) => ({
    api: 'hub', method: 'get', path: '/forwards', query: { organization: o.organization as string | undefined },
  }));
  action(forward.command('show <id>').description('one forward with its delivery status and last error'), ([id]) => ({ api: 'hub', method: 'get', path: `/forwards/${enc(id as string)}` }));
  action(forward.command('pause <id>').description('stop sending (changes wait)'), ([id]) => ({ api: 'hub', method: 'post', path: `/forwards/${enc(id as string)}/pause` }));
  action(forward.command('resume <id>').description('send again, at once, everything that waited'), ([id]) => ({ api: 'hub', method: 'post', path: `/forwards/${enc(id as string)}/resume` }));
  action(forward.command('remove <id>').description('delete a forward (its credentials with it)'), ([id]) => ({ api: 'hub', method: 'delete', path: `/forwards/${enc(id as string)}` }));
}

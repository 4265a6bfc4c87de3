import fs from 'node:fs';
import { Command } from 'commander';
import type { AdminExecutor, AdminOutcome, AdminRequest } from './admin/admin-executor';
import { addConnectionOptions, openExecutor, type ConnectionOptions } from './admin/admin-connection';
import { nextCursorOf, printOutcome, type OutputStreams } from './admin/admin-output';
import { addFalsePositiveCommand } from './sighting-commands';

type Options = ConnectionOptions & { json?: boolean } & Record<string, unknown>;

const consoleStreams: OutputStreams = { out: (l) => console.log(l), err: (l) => console.error(l) };
const enc = encodeURIComponent;
const list = (value: string): string[] => value.split(',').map((v) => v.trim()).filter(Boolean);

/** Reads a secret from an environment variable or standard input, never from a flag value (ps shows those). */
function readSecret(options: Options, what: string): string | undefined {
  if (typeof options.passwordEnv === 'string') {
    const value = process.env[options.passwordEnv];
    if (value === undefined) throw new Error(`${options.passwordEnv} is not set (--password-env names the variable holding the ${what})`);
    return value;
  }
  if (options.passwordStdin) return fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  return undefined;
}

/** A listing the CLI can page through: the array the pages hold, and how to say that more follow. */
interface Paging {
  readonly items: string;
  readonly more: (cursor: string) => string;
}

/** Runs one admin request and prints its outcome; errors become a one-line message and exit code 1. With `--all`, every page of a listing. */
async function run(options: Options, build: () => AdminRequest, paging?: Paging, io: OutputStreams = consoleStreams): Promise<void> {
  let executor;
  try {
    const request = build();
    executor = await openExecutor(options);
    const outcome = paging !== undefined && options.all === true ? await allPages(executor, request, paging.items) : await executor.execute(request);
    process.exitCode = printOutcome(outcome, options.json === true, io, paging !== undefined ? { more: paging.more } : {});
  } catch (error) {
    io.err(`taxii-hub: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await executor?.close();
  }
}

/** Follows a listing's next_after until the last page; the answer holds every item. */
async function allPages(executor: AdminExecutor, first: AdminRequest, key: string): Promise<AdminOutcome> {
  const items: unknown[] = [];
  let request = first;
  for (;;) {
    const outcome = await executor.execute(request);
    if (!outcome.ok) return outcome;
    const body = outcome.body as Record<string, unknown>;
    items.push(...((body[key] as unknown[] | undefined) ?? []));
    const cursor = nextCursorOf(body);
    if (cursor === undefined) return { ok: true, status: outcome.status, body: { [key]: items } };
    request = { ...request, query: { ...request.query, after: cursor } };
  }
}

/** A sub-command running one admin (or hub API) request, locally or over HTTP. */
export function action(command: Command, build: (args: string[], options: Options) => AdminRequest, paging?: Paging): Command {
  return addConnectionOptions(command).action(async (...received: unknown[]) => {
    const cmd = received.at(-1) as Command;
    const args = cmd.args;
    await run(cmd.opts<Options>(), () => build(args, cmd.opts<Options>()), paging);
  });
}

/** `crud`: list / get / delete sub-commands shared by every resource. */
function addCrud(group: Command, resource: string, noun: string): void {
  action(group.command('list').description(`list ${noun}s`), () => ({ method: 'get', path: `/${resource}` }));
  action(group.command('get <id>').description(`show one ${noun}`), ([id]) => ({ method: 'get', path: `/${resource}/${enc(id as string)}` }));
  action(group.command('delete <id>').description(`delete a ${noun} (audited)`), ([id]) => ({ method: 'delete', path: `/${resource}/${enc(id as string)}` }));
}

const ownerOf = (o: Options) => (o.ownerGroup ? { trust_group: o.ownerGroup } : o.ownerOrg ? { organization: o.ownerOrg } : undefined);
const defined = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
const peerLinks = (values: unknown) =>
  Array.isArray(values) ? values.map((v: string) => { const [a, b, mode] = v.split(':'); return { between: [a, b], pass_down: mode === 'down' }; }) : undefined;
const collect = (value: string, previous: string[] = []) => [...previous, value];
const parseTree = (json: unknown) => (typeof json === 'string' ? (JSON.parse(json) as Record<string, string[]>) : undefined);

/** Admin commands: org, user, key, api-root, collection, group, indicator, audit. */
export function registerAdminCommands(program: Command): void {
  const org = program.command('org').description('manage organizations');
  addCrud(org, 'organizations', 'organization');
  action(org.command('create <id>').description('create an organization').requiredOption('--name <name>', 'display name').option('--parent <id>', 'parent organization'), ([id], o) => ({
    method: 'post', path: '/organizations', body: defined({ id, name: o.name, parent: o.parent }),
  }));
  action(org.command('update <id>').description('change an organization').option('--name <name>').option('--parent <id>').option('--no-parent', 'remove the parent'), ([id], o) => ({
    method: 'patch', path: `/organizations/${enc(id as string)}`, body: defined({ name: o.name, parent: o.parent === false ? null : o.parent }),
  }));

  const user = program.command('user').description('manage users (get/update/delete take an id or a username)');
  addCrud(user, 'users', 'user');
  const passwordOptions = (c: Command) => c.option('--password-stdin', 'read the password from standard input').option('--password-env <var>', 'read the password from this environment variable');
  action(passwordOptions(user.command('create <username>').description('create a user').requiredOption('--org <id>', 'organization').requiredOption('--roles <list>', 'comma-separated: provider,consumer,org-admin,operator')), ([username], o) => ({
    method: 'post', path: '/users', body: defined({ username, organization: o.org, roles: list(String(o.roles)), password: readSecret(o, 'password') }),
  }));
  action(passwordOptions(user.command('update <user>').description('change roles, password or status').option('--roles <list>').option('--disable').option('--enable')), ([id], o) => ({
    method: 'patch', path: `/users/${enc(id as string)}`, body: defined({ roles: o.roles ? list(String(o.roles)) : undefined, disabled: o.disable ? true : o.enable ? false : undefined, password: readSecret(o, 'password') }),
  }));

  const key = program.command('key').description('manage API keys (the token is shown once, at creation)');
  action(key.command('list').description('list API keys').option('--user <user>', "only this user's keys"), (_a, o) => ({ method: 'get', path: o.user ? `/users/${enc(String(o.user))}/api-keys` : '/api-keys' }));
  action(key.command('create <user>').description('create an API key for a user').requiredOption('--name <name>', 'what the key is for').option('--expires <iso-date>', 'expiry time'), ([u], o) => ({
    method: 'post', path: `/users/${enc(u as string)}/api-keys`, body: defined({ name: o.name, expires_at: o.expires }),
  }));
  action(key.command('revoke <id>').description('revoke an API key'), ([id]) => ({ method: 'post', path: `/api-keys/${enc(id as string)}/revoke` }));
  action(key.command('delete <id>').description('delete an API key'), ([id]) => ({ method: 'delete', path: `/api-keys/${enc(id as string)}` }));

  const root = program.command('api-root').description('manage TAXII API roots');
  addCrud(root, 'api-roots', 'API root');
  action(root.command('create <id>').description('create an API root').requiredOption('--title <title>').option('--description <text>').option('--max-content-length <bytes>', 'largest POST body', Number), ([id], o) => ({
    method: 'post', path: '/api-roots', body: defined({ id, title: o.title, description: o.description, max_content_length: o.maxContentLength }),
  }));
  action(root.command('update <id>').description('change an API root').option('--title <title>').option('--description <text>').option('--max-content-length <bytes>', 'largest POST body', Number), ([id], o) => ({
    method: 'patch', path: `/api-roots/${enc(id as string)}`, body: defined({ title: o.title, description: o.description, max_content_length: o.maxContentLength }),
  }));

  const collection = program.command('collection').description('manage TAXII collections');
  addCrud(collection, 'collections', 'collection');
  const collectionOptions = (c: Command) =>
    c
      .option('--alias <alias>')
      .option('--description <text>')
      .option('--owner-org <id>', 'owned by an organization')
      .option('--owner-group <id>', 'owned by a trust group')
      .option('--marking <tlp>', 'default marking: clear, green, amber, amber+strict, red')
      .option('--unmarked <mode>', 'an object posted without a TLP marking: default (gets the default marking) or refuse')
      .option('--attribution <mode>', "attributed, or hidden (consumers outside the provider's organization never learn which member provided an object)");
  action(collectionOptions(collection.command('create').description('create a collection').requiredOption('--api-root <id>').requiredOption('--title <title>').option('--id <uuid>')), (_a, o) => ({
    method: 'post', path: '/collections', body: defined({ id: o.id, api_root: o.apiRoot, title: o.title, alias: o.alias, description: o.description, owner: ownerOf(o), default_marking: o.marking, unmarked: o.unmarked, attribution: o.attribution }),
  }));
  action(collectionOptions(collection.command('update <id>').description('change a collection').option('--title <title>')), ([id], o) => ({
    method: 'patch', path: `/collections/${enc(id as string)}`, body: defined({ title: o.title, alias: o.alias, description: o.description, owner: ownerOf(o), default_marking: o.marking, unmarked: o.unmarked, attribution: o.attribution }),
  }));
  action(
    collection
      .command('recipients <id>')
      .description('preview which organizations would receive an object, and by which rule')
      .requiredOption('--provider <org>', 'the providing organization')
      .requiredOption('--marking <tlp>', 'clear, green, amber, amber+strict or red')
      .option('--recipients <list>', 'TLP:RED only: comma-separated organizations the object names'),
    ([id], o) => ({
      method: 'get', path: `/collections/${enc(id as string)}/recipients`, query: { provider: o.provider as string, marking: o.marking as string, recipients: o.recipients as string | undefined },
    }),
  );

  const group = program.command('group').description('manage trust groups');
  addCrud(group, 'trust-groups', 'trust group');
  const groupOptions = (c: Command) =>
    c
      .option('--name <name>')
      .option('--members <list>', 'horizontal: comma-separated organizations')
      .option('--tree <json>', 'vertical/hybrid: {"parent":["child",...]}')
      .option('--peer <a:b[:down]>', 'hybrid: a peer link (repeatable; ":down" passes data down)', collect)
      .option('--attribution <mode>', "attributed, or hidden in every collection the group governs (consumers outside the provider's organization never learn which member provided an object)");
  action(groupOptions(group.command('create <id>').description('create a trust group').requiredOption('--topology <topology>', 'horizontal, vertical or hybrid')), ([id], o) => ({
    method: 'post', path: '/trust-groups', body: defined({ id, name: o.name, topology: o.topology, members: o.members ? list(String(o.members)) : undefined, tree: parseTree(o.tree), peer_links: peerLinks(o.peer), attribution: o.attribution }),
  }));
  action(groupOptions(group.command('update <id>').description('change a trust group').option('--topology <topology>')), ([id], o) => ({
    method: 'patch', path: `/trust-groups/${enc(id as string)}`, body: defined({ name: o.name, topology: o.topology, members: o.members ? list(String(o.members)) : undefined, tree: parseTree(o.tree), peer_links: peerLinks(o.peer), attribution: o.attribution }),
  }));

  const indicator = program.command('indicator').description("an indicator's lifecycle: history, revoke, benign, purge, false-positive (hub API)");
  const indicatorPath = (collection: unknown, id: unknown) => `/collections/${enc(collection as string)}/indicators/${enc(id as string)}`;
  action(
    indicator
      .command('list <collection>')
      .description('indicators you may read, each with its state (oldest first), a page at a time (--all: every page)')
      .option('--state <state>', 'active, revoked, benign or expired')
      .option('--provider <org>', 'only this organization\'s')
      .option('--kind <kind>', 'only this kind, e.g. ipv4, domain, url, sha256')
      .option('--tlp <level>', 'only this marking: clear, green, amber, amber+strict or red')
      .option('--campaign <id or name>', 'only members of this campaign')
      .option('--limit <n>', 'at most this many per page (1-1000; the hub\'s default is 100)')
      .option('--after <n>', 'the next page: the value a previous page gave')
      .option('--all', 'every page, one after the other'),
    ([c], o) => ({
      api: 'hub',
      method: 'get',
      path: `/collections/${enc(c as string)}/indicators`,
      query: { state: o.state as string | undefined, provider: o.provider as string | undefined, kind: o.kind as string | undefined, tlp: o.tlp as string | undefined, campaign: o.campaign as string | undefined, limit: o.limit as string | undefined, after: o.after as string | undefined },
    }),
    { items: 'indicators', more: (cursor) => `(more indicators follow: the next page with --after ${cursor}, or every page with --all)` },
  );
  action(indicator.command('history <collection> <id>').description('state and history: every version, transition, actor and reason'), ([c, id]) => ({ api: 'hub', method: 'get', path: indicatorPath(c, id) }));
  action(indicator.command('revoke <collection> <id>').description('withdraw an indicator (final; a new STIX version with revoked: true)').option('--reason <text>', 'why'), ([c, id], o) => ({
    api: 'hub', method: 'post', path: `${indicatorPath(c, id)}/revoke`, body: defined({ reason: o.reason }),
  }));
  action(indicator.command('benign <collection> <id>').description('mark an indicator benign, e.g. a cleaned site (final)').requiredOption('--reason <text>', 'why it is benign now'), ([c, id], o) => ({
    api: 'hub', method: 'post', path: `${indicatorPath(c, id)}/benign`, body: { reason: o.reason },
  }));
  action(indicator.command('purge <id>').description('remove every version from every collection (audited); consumers receive a purged event naming only the id').requiredOption('--reason <text>', 'why it must go'), ([id], o) => ({
    api: 'hub', method: 'post', path: `/indicators/${enc(id as string)}/purge`, body: { reason: o.reason },
  }));
  addFalsePositiveCommand(indicator);

  const subscription = program.command('subscription').description('TAXII 1.1 subscriptions and their delivery state (webhooks: taxii-hub webhook; forwards: taxii-hub forward)');
  action(
    subscription.command('list').description('subscriptions with their status, cursor, backlog and last error').option('--org <id>', "only this organization's").option('--collection <id>', 'only this collection (id or alias)'),
    (_a, o) => ({ method: 'get', path: '/subscriptions', query: { organization: o.org as string | undefined, collection: o.collection as string | undefined } }),
  );

  action(program.command('audit').description('read the audit trail, oldest first (--all: every page)').option('--all', 'every page, one after the other').option('--entity-type <type>').option('--entity-id <id>').option('--actor <name>').option('--since <time>', 'entries made at or after this RFC 3339 time, e.g. 2026-12-01T00:00:00Z').option('--until <time>', 'entries made before this RFC 3339 time').option('--after <id>', 'entries after this id').option('--limit <n>', 'at most this many', '100'), (_a, o) => ({
    method: 'get', path: '/audit', query: { entity_type: o.entityType as string | undefined, entity_id: o.entityId as string | undefined, actor: o.actor as string | undefined, since: o.since as string | undefined, until: o.until as string | undefined, after: o.after as string | undefined, limit: o.limit as string | undefined },
  }), { items: 'entries', more: (cursor) => `(more entries follow: the next page with --after ${cursor}, or every page with --all)` });
}

import type { Command } from 'commander';
import { action } from './admin-commands';

const enc = encodeURIComponent;
const list = (value: unknown): string[] | undefined => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : undefined);
const integer = (value: unknown): number | undefined => (typeof value === 'string' ? Number(value) : undefined);
const defined = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
const hook = (id: unknown, rest = '') => `/webhooks/${enc(id as string)}${rest}`;

/**
 * `taxii-hub webhook …`: an organization's webhooks over the hub API (/api/webhooks) of a running hub
 * (--url with HUB_API_KEY, or --login and HUB_PASSWORD), as an org-admin or an operator.
 */
export function registerWebhookCommands(program: Command): void {
  const webhook = program.command('webhook').description("an organization's webhooks: signed JSON batches of a collection's changes (hub API; use --url)");
  action(
    webhook
      .command('add <collection> <url>')
      .description('register a webhook for a collection (id or alias); the secret is shown once')
      .option('--kinds <list>', 'only indicators of these kinds (comma-separated)')
      .option('--operations <list>', 'only these operations: created,updated,revoked,benign,expired,deleted,purged,access-lost,access-gained,campaign-activity')
      .option('--min-confidence <n>', 'only objects with at least this confidence (0-100)')
      .option('--retry-window <seconds>', 'how long a failing batch is retried before it is dead-lettered (default 86400)')
      .option('--org <id>', 'operators: the organization the webhook belongs to')
      .option('--as <user>', "the organization's user whose read access it delivers under (default: you)"),
    ([collection, url], o) => ({
      api: 'hub',
      method: 'post',
      path: '/webhooks',
      body: defined({ collection, url, organization: o.org, user: o.as, kinds: list(o.kinds), operations: list(o.operations), min_confidence: integer(o.minConfidence), retry_window_seconds: integer(o.retryWindow) }),
    }),
  );
  action(webhook.command('list').description("your organization's webhooks (operators: every one, or --org)").option('--org <id>', 'only this organization'), (_a, o) => ({
    api: 'hub', method: 'get', path: '/webhooks', query: { organization: o.org as string | undefined },
  }));
  action(webhook.command('show <id>').description('a webhook with where its delivery stands'), ([id]) => ({ api: 'hub', method: 'get', path: hook(id) }));
  action(webhook.command('attempts <id>').description('the latest delivery attempts, newest first').option('--limit <n>', 'at most this many (1-1000)'), ([id], o) => ({
    api: 'hub', method: 'get', path: hook(id, '/attempts'), query: { limit: o.limit as string | undefined },
  }));
  action(webhook.command('dead-letters <id>').description('batches given up on after the retry window'), ([id]) => ({ api: 'hub', method: 'get', path: hook(id, '/dead-letters') }));
  action(webhook.command('replay <id> <letter>').description('deliver a dead letter again (read again with current access)'), ([id, letter]) => ({
    api: 'hub', method: 'post', path: hook(id, `/dead-letters/${enc(letter as string)}/replay`), body: {},
  }));
  action(webhook.command('rotate-secret <id>').description('a new secret (shown once); the old one also signs for 24 h or until retired'), ([id]) => ({ api: 'hub', method: 'post', path: hook(id, '/rotate-secret'), body: {} }));
  action(webhook.command('retire-secret <id>').description('the secret before the last rotation stops signing now'), ([id]) => ({ api: 'hub', method: 'post', path: hook(id, '/retire-secret'), body: {} }));
  action(webhook.command('pause <id>').description('stop delivering (events wait)'), ([id]) => ({ api: 'hub', method: 'post', path: hook(id, '/pause'), body: {} }));
  action(webhook.command('resume <id>').description('deliver again, backlog first'), ([id]) => ({ api: 'hub', method: 'post', path: hook(id, '/resume'), body: {} }));
  action(webhook.command('remove <id>').description('delete a webhook with its log and dead letters'), ([id]) => ({ api: 'hub', method: 'delete', path: hook(id) }));
}

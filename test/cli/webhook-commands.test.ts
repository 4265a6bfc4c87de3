import { cli } from '../support/cli-run';
import { runningHubForCli } from '../support/running-hub-cli';

/**
 * `taxii-hub webhook …` against a running hub (demo configuration): alice is acme-hq's org-admin,
 * dave globex-hq's. Credentials come from HUB_USER / HUB_PASSWORD.
 */

const { remote, as } = runningHubForCli('hub-cli-webhook-');

test("an org-admin adds, shows, rotates, pauses, resumes and removes a webhook; another organization's admin is told it does not exist", async () => {
  as('alice');
  const added = await cli(['webhook', 'add', 'acme-internal', 'https://hooks.acme.example/in', '--kinds', 'c2-ip,url', '--operations', 'created,revoked', '--min-confidence', '40', '--json', ...remote]);
  expect(added).toMatchObject({ code: 0, err: '' });
  const webhook = JSON.parse(added.out) as { id: string; secret: string; filter: unknown; warnings: string[] };
  expect(webhook.secret).toMatch(/^[0-9a-f]{64}$/);
  expect(webhook.filter).toEqual({ kinds: ['c2-ip', 'url'], operations: ['created', 'revoked'], min_confidence: 40 });
  expect(webhook.warnings).toHaveLength(1);

  const listed = await cli(['webhook', 'list', ...remote]);
  expect(listed.code).toBe(0);
  expect(listed.out).toContain(webhook.id);
  const shown = await cli(['webhook', 'show', webhook.id, ...remote]);
  expect(shown.out).toMatch(/^status: active$/m);
  expect(shown.out).not.toContain(webhook.secret);

  const rotated = JSON.parse((await cli(['webhook', 'rotate-secret', webhook.id, '--json', ...remote])).out) as { secret: string };
  expect(rotated.secret).toMatch(/^[0-9a-f]{64}$/);
  expect((await cli(['webhook', 'retire-secret', webhook.id, ...remote])).out).toMatch(/^previous_secret_retires_at: -$/m);
  expect((await cli(['webhook', 'pause', webhook.id, ...remote])).out).toMatch(/^status: paused$/m);
  expect((await cli(['webhook', 'resume', webhook.id, ...remote])).out).toMatch(/^status: active$/m);
  expect((await cli(['webhook', 'attempts', webhook.id, ...remote])).out).toBe('(none)');
  expect((await cli(['webhook', 'dead-letters', webhook.id, ...remote])).out).toBe('(none)');
  const replay = await cli(['webhook', 'replay', webhook.id, '00000000-0000-4000-8000-000000000000', ...remote]);
  expect(replay.code).toBe(1);
  expect(replay.err).toMatch(/^error \(404\)/);

  as('dave');
  const foreign = await cli(['webhook', 'show', webhook.id, ...remote]);
  expect(foreign.code).toBe(1);
  expect(foreign.err).toMatch(/^error \(404\): There is no webhook/);
  expect((await cli(['webhook', 'remove', webhook.id, ...remote])).code).toBe(1);

  as('alice');
  expect((await cli(['webhook', 'remove', webhook.id, ...remote])).out).toBe('done');
  expect((await cli(['webhook', 'show', webhook.id, ...remote])).code).toBe(1);
});

test('a bad filter is refused with the field named', async () => {
  as('alice');
  const refused = await cli(['webhook', 'add', 'acme-internal', 'https://hooks.acme.example/in', '--kinds', 'ssn', ...remote]);
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/^error \(400\)/);
  expect(refused.err).toContain('kinds[0]');
});

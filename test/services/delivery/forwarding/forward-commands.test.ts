import { cli } from '../../../support/cli-run';
import { runningHubForCli } from '../../../support/running-hub-cli';

/**
 * `taxii-hub forward …` against a running hub (demo configuration): alice is acme-hq's org-admin,
 * dave globex-hq's. The remote's secret comes from an environment variable, never a flag, and is
 * never printed.
 */

const SECRET = 'the-remote-api-key-nobody-may-see';
const { remote, as } = runningHubForCli('hub-cli-forward-', ['REMOTE_SECRET']);

test("an org-admin adds, lists, shows, pauses, resumes and removes a forward; the secret is never printed; another organization's admin is told it does not exist", async () => {
  as('alice');
  process.env.REMOTE_SECRET = SECRET;
  const added = await cli([
    'forward', 'add', 'acme-internal', 'https://taxii.partner.example/api1/', 'inbound', '--auth', 'header', '--header', 'X-API-Key', '--secret-env', 'REMOTE_SECRET',
    '--types', 'indicator,identity', '--kinds', 'c2-ip,url', '--max-objects', '50', '--json', ...remote,
  ]);
  expect(added).toMatchObject({ code: 0, err: '' });
  expect(added.out).not.toContain(SECRET);
  const forward = JSON.parse(added.out) as { id: string; credentials: unknown; filter: unknown; max_objects: number; warnings: string[] };
  expect(forward).toMatchObject({ credentials: { kind: 'header', name: 'X-API-Key' }, filter: { types: ['indicator', 'identity'], kinds: ['c2-ip', 'url'] }, max_objects: 50 });
  expect(forward.warnings).toHaveLength(1);

  const listed = await cli(['forward', 'list', ...remote]);
  expect(listed.code).toBe(0);
  expect(listed.out).toContain(forward.id);
  const shown = await cli(['forward', 'show', forward.id, ...remote]);
  expect(shown.out).toMatch(/^status: active$/m);
  expect(shown.out).toMatch(/^api_root_url: https:\/\/taxii\.partner\.example\/api1\/$/m);
  expect(`${listed.out}${shown.out}`).not.toContain(SECRET);
  expect((await cli(['forward', 'pause', forward.id, ...remote])).out).toMatch(/^status: paused$/m);
  expect((await cli(['forward', 'resume', forward.id, ...remote])).out).toMatch(/^status: active$/m);

  as('dave');
  const foreign = await cli(['forward', 'show', forward.id, ...remote]);
  expect(foreign.code).toBe(1);
  expect(foreign.err).toMatch(/^error \(404\): There is no forward/);
  expect((await cli(['forward', 'remove', forward.id, ...remote])).code).toBe(1);

  as('alice');
  expect((await cli(['forward', 'remove', forward.id, ...remote])).out).toBe('done');
  expect((await cli(['forward', 'show', forward.id, ...remote])).code).toBe(1);
});

test('credentials the command cannot complete are refused before anything is sent, and bad input is the API\'s 400', async () => {
  as('alice');
  const noSecret = await cli(['forward', 'add', 'acme-internal', 'https://taxii.partner.example/api1/', 'inbound', '--auth', 'bearer', ...remote]);
  expect(noSecret).toMatchObject({ code: 1, err: expect.stringContaining('--secret-env <VAR> or --secret-stdin') });
  const noUser = await cli(['forward', 'add', 'acme-internal', 'https://taxii.partner.example/api1/', 'inbound', '--auth', 'basic', '--secret-env', 'REMOTE_SECRET', ...remote]);
  expect(noUser).toMatchObject({ code: 1, err: expect.stringContaining('--auth basic needs --username') });
  const badUrl = await cli(['forward', 'add', 'acme-internal', 'ftp://taxii.partner.example/', 'inbound', ...remote]);
  expect(badUrl.code).toBe(1);
  expect(badUrl.err.split('\n')).toEqual([expect.stringMatching(/^error \(400\): /), expect.stringMatching(/^ {2}api_root_url: must use https \(or http\), not ftp/)]);
});

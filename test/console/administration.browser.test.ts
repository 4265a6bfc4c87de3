import { DEMO_COLLECTIONS } from '../support/demo-config';
import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

/**
 * The Administration page in a browser: bob (provider, acme-east) marks his indicator benign
 * through the hub API; the operator finds that change in the audit trail by the indicator's id and
 * by day; the operator creates and edits an organization, a user and a trust group through the
 * forms, sees config-managed ones read-only with the file and line that declare them, and lists
 * and revokes API keys; alice (org-admin) manages only her organization's users and keys; carol
 * (consumer only) is offered no Administration.
 */

let hub: ConsoleBrowser;
beforeAll(async () => {
  hub = await startConsoleBrowser();
}, 60_000);
afterAll(() => hub?.close());

const ACME = DEMO_COLLECTIONS.acmeInternal;
const BROWSER_TEST_MS = 90_000;
/** A time as the English console writes it (components/time-text.tsx), in the browser's zone: "Dec 7, 2026, 03:05 UTC"; `seconds` for the precise style. */
const enTime = (seconds = false) => new RegExp(String.raw`^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}${seconds ? String.raw`:\d{2}` : ''} \S+$`);

const basic = (username: string) => `Basic ${Buffer.from(`${username}:${username}-demo-pw`).toString('base64')}`;
async function hubApi(method: string, path: string, username: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${hub.url}${path}`, { method, headers: { Authorization: basic(username), 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function openAdministration(username: string) {
  const page = await hub.newPage();
  await signIn(page, username);
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
  return page;
}

describe('Administration in a browser', () => {
  test('after bob marks an indicator benign, the operator finds the change in the audit trail by its id, with bob as the actor', async () => {
    const shared = await hubApi('POST', '/api/submissions', 'bob', { collection: ACME, valid_from: '2026-12-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value: 'audit-me.example' }] });
    expect(shared.status).toBe(200);
    const listing = await hubApi('GET', `/api/collections/${ACME}/indicators?provider=acme-east`, 'bob');
    const id = (listing.json.indicators as { id: string; name: string }[]).find((i) => i.name.includes('audit-me.example'))?.id ?? '';
    expect(id).toMatch(/^indicator--/);
    const benign = await hubApi('POST', `/api/collections/${ACME}/indicators/${id}/benign`, 'bob', { reason: 'sinkholed' });
    expect(benign.status).toBe(200);

    const page = await hub.newPage();
    await signIn(page, 'operator');
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Audit trail' }).waitFor();
    await page.getByRole('status').filter({ hasText: /audit entries shown/ }).waitFor();
    await page.locator('table.audit-list tbody tr').first().filter({ hasText: 'indicator.benign' }).waitFor(); // newest first

    await page.getByLabel('Entity id').fill(id);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const entry = page.locator('table.audit-list tbody tr', { hasText: 'indicator.benign' });
    await entry.filter({ hasText: id }).waitFor();
    expect(await page.locator('table.audit-list tbody tr').count()).toBe(1); // only the entries of that indicator
    const cells = await entry.locator('td').allInnerTexts();
    // the time as a reader writes it, to the second; the hub's exact value in datetime (and the tooltip)
    expect(cells[0]).toMatch(enTime(true));
    const audit = await hubApi('GET', `/admin/api/audit?order=newest&entity_id=${encodeURIComponent(id)}`, 'operator');
    const at = (audit.json.entries as { at: string; action: string }[]).find((e) => e.action === 'indicator.benign')?.at;
    expect(at).toBeDefined();
    const time = entry.locator('td').first().locator('time');
    expect(await time.getAttribute('datetime')).toBe(at);
    expect(await time.getAttribute('title')).toBe(at);
    expect(cells[1]).toBe('bob');
    expect(cells[2]).toBe('indicator.benign');
    expect(cells[4]).toMatch(/benign/);
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('the operator sees config-managed trust groups read-only with the file and line that declare them, and creates an API key for bob whose token is shown once and works', async () => {
    const page = await openAdministration('operator');
    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Trust groups' });
    const isac = page.locator('table.entity-list tbody tr', { hasText: 'finance-isac' });
    await isac.filter({ hasText: 'config-managed (read-only)' }).waitFor();
    expect(await isac.locator('code.declared-in').innerText()).toBe('collections/trust-groups.yaml:15'); // where the 409 says it is declared
    expect(await isac.getByRole('button', { name: /^Edit/ }).count()).toBe(0);

    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Users' });
    await page.getByRole('button', { name: 'New API key for bob' }).click();
    await page.getByLabel('Key name').fill('bob-automation');
    await page.getByRole('button', { name: 'Create key' }).click();
    const box = page.locator('.token-once');
    await box.getByText('Copy this token now: it will not be shown again.', { exact: false }).waitFor();
    const token = (await box.locator('code.api-token').innerText()).trim();
    expect(token.length).toBeGreaterThan(20);
    const whoami = await fetch(`${hub.url}/admin/api/whoami`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await whoami.json()) as { username: string }).username).toBe('bob');
    // The new key is listed at once, without its token.
    await page.locator('table.api-key-list tbody tr', { hasText: 'bob-automation' }).filter({ hasText: 'active' }).waitFor();
    expect(await page.locator('table.api-key-list').innerText()).not.toContain(token);
    await box.getByRole('button', { name: 'Done' }).click();
    await box.waitFor({ state: 'detached' }); // gone: the token is not shown again
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('the operator creates an organization and a user in it through the forms, then edits both; the hub stores what the forms said', async () => {
    const page = await openAdministration('operator');
    await page.getByRole('button', { name: 'New organization…' }).click();
    const orgDialog = page.getByRole('dialog', { name: 'New organization' });
    await orgDialog.getByRole('button', { name: 'Create' }).click();
    await orgDialog.getByRole('alert').filter({ hasText: 'Enter an id.' }).waitFor(); // checked before anything is sent
    await orgDialog.getByLabel('Id', { exact: true }).fill('wayne-corp');
    await orgDialog.getByLabel('Name', { exact: true }).fill('Wayne Corporation');
    await orgDialog.getByLabel('Parent organization').selectOption('acme-hq');
    await orgDialog.getByLabel('Delivery allow-list').fill('feeds.wayne.example\n*.wayne.example');
    await orgDialog.getByRole('button', { name: 'Create' }).click();
    await orgDialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'wayne-corp created.' }).waitFor();
    const row = page.locator('table.entity-list tbody tr', { hasText: 'wayne-corp' });
    await row.filter({ hasText: 'admin API' }).waitFor();
    expect((await hubApi('GET', '/admin/api/organizations/wayne-corp', 'operator')).json).toEqual({
      id: 'wayne-corp', name: 'Wayne Corporation', parent: 'acme-hq', managed_by: 'admin', declared_in: null, delivery_allow_list: ['feeds.wayne.example', '*.wayne.example'],
    });

    await row.getByRole('button', { name: 'Edit wayne-corp' }).click();
    const editOrg = page.getByRole('dialog', { name: 'Edit organization wayne-corp' });
    expect(await editOrg.getByLabel('Name', { exact: true }).inputValue()).toBe('Wayne Corporation');
    await editOrg.getByLabel('Name', { exact: true }).fill('Wayne Enterprises');
    await editOrg.getByLabel('Parent organization').selectOption('');
    await editOrg.getByRole('button', { name: 'Save changes' }).click();
    await editOrg.waitFor({ state: 'detached' });
    await page.locator('table.entity-list tbody tr', { hasText: 'Wayne Enterprises' }).waitFor();
    expect((await hubApi('GET', '/admin/api/organizations/wayne-corp', 'operator')).json).toMatchObject({ name: 'Wayne Enterprises', parent: null });
    // A config-managed organization has no Edit button, and says where it is declared.
    const acme = page.locator('table.entity-list tbody tr', { hasText: 'ACME Holdings' });
    expect(await acme.locator('code.declared-in').innerText()).toMatch(/^collections\/organizations\.yaml:\d+$/);
    expect(await acme.getByRole('button').count()).toBe(0);

    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Users' });
    await page.getByRole('button', { name: 'New user…' }).click();
    const userDialog = page.getByRole('dialog', { name: 'New user' });
    await userDialog.getByLabel('Username').fill('lucius');
    await userDialog.getByLabel('Organization').selectOption('wayne-corp');
    await userDialog.getByRole('checkbox', { name: 'consumer' }).uncheck();
    await userDialog.getByRole('checkbox', { name: 'provider' }).check();
    await userDialog.getByRole('checkbox', { name: 'org-admin' }).check();
    await userDialog.getByLabel('Password (optional)').fill('short');
    await userDialog.getByRole('button', { name: 'Create' }).click();
    await userDialog.getByRole('alert').filter({ hasText: 'at least 12 characters' }).waitFor();
    await userDialog.getByLabel('Password (optional)').fill('lucius-long-password');
    await userDialog.getByRole('button', { name: 'Create' }).click();
    await userDialog.waitFor({ state: 'detached' });
    const lucius = page.locator('table.entity-list tbody tr', { hasText: 'lucius' });
    await lucius.waitFor();
    const signIn = await fetch(`${hub.url}/admin/api/whoami`, { headers: { Authorization: `Basic ${Buffer.from('lucius:lucius-long-password').toString('base64')}` } });
    expect(await signIn.json()).toMatchObject({ username: 'lucius', organization: 'wayne-corp', roles: ['provider', 'org-admin'] });

    await lucius.getByRole('button', { name: 'Edit lucius' }).click();
    const editUser = page.getByRole('dialog', { name: 'Edit user lucius' });
    await editUser.getByRole('checkbox', { name: 'org-admin' }).uncheck();
    await editUser.getByRole('checkbox', { name: /Disabled/ }).check();
    await editUser.getByRole('button', { name: 'Save changes' }).click();
    await editUser.waitFor({ state: 'detached' });
    await page.locator('table.entity-list tbody tr', { hasText: 'lucius' }).filter({ hasText: 'true' }).waitFor();
    const after = await fetch(`${hub.url}/admin/api/whoami`, { headers: { Authorization: `Basic ${Buffer.from('lucius:lucius-long-password').toString('base64')}` } });
    expect(after.status).toBe(401); // disabled: refused on the next request
    const stored = (await hubApi('GET', '/admin/api/users/lucius', 'operator')).json;
    expect(stored).toMatchObject({ roles: ['provider'], disabled: true, managed_by: 'admin' });
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('a change the hub refuses is shown in the form with the hub\'s reason, and nothing is stored', async () => {
    const page = await openAdministration('operator');
    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Trust groups' });
    await page.getByRole('button', { name: 'New trust group…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New trust group' });
    await dialog.getByLabel('Id', { exact: true }).fill('lonely');
    await dialog.getByLabel('Name', { exact: true }).fill('Lonely');
    await dialog.getByLabel('Topology').selectOption('vertical');
    await dialog.getByLabel('Tree').fill('acme-hq: no-such-org');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('alert').filter({ hasText: /^The hub refused: .*unknown organization 'no-such-org'/ }).waitFor();
    expect((await hubApi('GET', '/admin/api/trust-groups/lonely', 'operator')).status).toBe(404);
    await dialog.getByLabel('Tree').fill('globex-hq: globex-lab');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await hubApi('GET', '/admin/api/trust-groups/lonely', 'operator')).json).toMatchObject({ topology: 'vertical', members: ['globex-hq', 'globex-lab'], managed_by: 'admin' });
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('the operator revokes an API key after confirming; the key is refused at once and listed as revoked', async () => {
    const issued = await hubApi('POST', '/admin/api/users/carol/api-keys', 'operator', { name: 'carol-reader' });
    expect(issued.status).toBe(201);
    const token = String(issued.json.token);
    const bearer = () => fetch(`${hub.url}/admin/api/whoami`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await bearer()).status).toBe(200);

    const page = await openAdministration('operator');
    const row = page.locator('table.api-key-list tbody tr', { hasText: 'carol-reader' });
    await row.filter({ hasText: 'active' }).waitFor();
    expect(await row.locator('td').nth(0).innerText()).toBe('carol');
    // created: written the reader's way, the hub's value in datetime; no expiry: "never"
    const key = (await hubApi('GET', `/admin/api/api-keys/${String(issued.json.id)}`, 'operator')).json;
    expect(key.expires_at).toBeNull();
    const created = row.locator('td').nth(3).locator('time');
    expect(await created.getAttribute('datetime')).toBe(key.created_at);
    expect(await created.textContent()).toMatch(enTime());
    expect(await row.locator('td').nth(4).innerText()).toBe('never');
    await row.getByRole('button', { name: 'Revoke key carol-reader of carol' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke API key carol-reader?' });
    await dialog.getByText('This cannot be undone', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click(); // cancelling changes nothing
    await dialog.waitFor({ state: 'detached' });
    expect((await bearer()).status).toBe(200);

    await row.getByRole('button', { name: 'Revoke key carol-reader of carol' }).click();
    await dialog.getByRole('button', { name: 'Revoke the key' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'API key carol-reader of carol revoked.' }).waitFor();
    await row.filter({ hasText: 'revoked' }).waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
    const revokedAt = row.locator('td.key-status time');
    expect(await revokedAt.getAttribute('datetime')).toBe((await hubApi('GET', `/admin/api/api-keys/${String(issued.json.id)}`, 'operator')).json.revoked_at);
    expect(await revokedAt.textContent()).toMatch(enTime());
    expect((await bearer()).status).toBe(401);
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('the audit trail filters by day: today holds the latest change, tomorrow nothing, and a "to" before "from" is said', async () => {
    expect((await hubApi('POST', '/admin/api/organizations', 'operator', { id: 'dated-org', name: 'Dated' })).status).toBe(201);
    const page = await openAdministration('operator');
    await page.getByRole('status').filter({ hasText: /audit entries shown/ }).waitFor();
    const day = (offset: number) => page.evaluate((days) => {
      const d = new Date();
      d.setDate(d.getDate() + days);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    }, offset);
    const today = await day(0);
    const requests: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/admin/api/audit')) requests.push(r.url()); });

    await page.getByLabel('From (day)').fill(today);
    await page.getByLabel('To (day, included)').fill(today);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /audit entries shown/ }).waitFor();
    await page.locator('table.audit-list tbody tr', { hasText: 'dated-org' }).filter({ hasText: 'organization.create' }).waitFor(); // made just now
    const sent = new URL(requests.at(-1) ?? '');
    const since = sent.searchParams.get('since') ?? '';
    const until = sent.searchParams.get('until') ?? '';
    expect(Date.parse(until) - Date.parse(since)).toBeGreaterThanOrEqual(23 * 3600_000); // one whole day in the browser's zone
    expect(Date.parse(since)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(until)).toBeGreaterThan(Date.now());

    await page.getByLabel('From (day)').fill(await day(1));
    await page.getByLabel('To (day, included)').fill(await day(1));
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByText('No audit entry matches.').waitFor();

    await page.getByLabel('To (day, included)').fill(today);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.locator('#audit-days-error').filter({ hasText: 'The "to" day comes before the "from" day.' }).waitFor();
    expect(await page.getByLabel('From (day)').getAttribute('aria-invalid')).toBe('true');
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('alice (org-admin of acme-hq) manages only her organization: its users (a new one through the form), its keys; no audit trail, no hub structure', async () => {
    const page = await openAdministration('alice');
    await page.getByRole('heading', { level: 2, name: 'Users of acme-hq' }).waitFor();
    await page.getByText('The audit trail and the hub\'s organizations, trust groups and collections are managed by operators.', { exact: false }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: 'Audit trail' }).count()).toBe(0);
    expect(await page.getByLabel('Show', { exact: true }).count()).toBe(0); // users only: nothing to choose
    expect(await page.getByRole('button', { name: /^New (organization|trust group|collection)/ }).count()).toBe(0);
    await page.locator('table.entity-list tbody tr', { hasText: 'alice' }).waitFor();
    const organizations = await page.locator('table.entity-list tbody tr td:nth-child(2)').allInnerTexts();
    expect(new Set(organizations)).toEqual(new Set(['acme-hq']));

    await page.getByRole('button', { name: 'New user…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    expect(await dialog.getByLabel('Organization').locator('option').allInnerTexts()).toEqual(['acme-hq']);
    expect(await dialog.getByRole('checkbox', { name: 'operator' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Username').fill('annika');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('table.entity-list tbody tr', { hasText: 'annika' }).waitFor();
    expect((await hubApi('GET', '/admin/api/users/annika', 'operator')).json).toMatchObject({ organization: 'acme-hq', roles: ['consumer'] });

    // Keys: those of her organization's users only (bob's and carol's are not hers to see).
    await hubApi('POST', '/admin/api/users/annika/api-keys', 'alice', { name: 'annika-feed' });
    await page.reload();
    await page.locator('table.api-key-list tbody tr', { hasText: 'annika-feed' }).waitFor();
    const owners = await page.locator('table.api-key-list tbody tr td:nth-child(2)').allInnerTexts();
    expect(owners.length).toBeGreaterThan(0);
    const acmeHq = ((await hubApi('GET', '/admin/api/users?organization=acme-hq', 'operator')).json.users as { username: string }[]).map((u) => u.username);
    for (const owner of owners) expect(acmeHq).toContain(owner);
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('carol (consumer only) has no Administration link, and its address does not show it', async () => {
    const page = await hub.newPage();
    await signIn(page, 'carol');
    await page.getByRole('link', { name: 'Indicators' }).waitFor();
    expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
    await page.goto('/console/#/administration');
    await page.getByRole('link', { name: 'Indicators' }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: 'Audit trail' }).count()).toBe(0);
    await page.context().close();
  }, BROWSER_TEST_MS);
});

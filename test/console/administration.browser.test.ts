import { DEMO_COLLECTIONS } from '../support/demo-config';
import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

/**
 * The Administration page in a browser: bob (provider, acme-east) marks his indicator benign
 * through the hub API; the operator finds that change in the audit trail by the indicator's id;
 * carol (consumer only) is offered no Administration.
 */

let hub: ConsoleBrowser;
beforeAll(async () => {
  hub = await startConsoleBrowser();
}, 60_000);
afterAll(() => hub?.close());

const ACME = DEMO_COLLECTIONS.acmeInternal;
const BROWSER_TEST_MS = 90_000;

const basic = (username: string) => `Basic ${Buffer.from(`${username}:${username}-demo-pw`).toString('base64')}`;
async function hubApi(method: string, path: string, username: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${hub.url}${path}`, { method, headers: { Authorization: basic(username), 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
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
    expect(cells[0]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(cells[1]).toBe('bob');
    expect(cells[2]).toBe('indicator.benign');
    expect(cells[4]).toMatch(/benign/);
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('the operator reads the trust groups with the config-managed ones marked read-only, and creates an API key for bob whose token is shown once and works', async () => {
    const page = await hub.newPage();
    await signIn(page, 'operator');
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { level: 2, name: 'Organizations, users, trust groups and collections' }).waitFor();
    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Trust groups' });
    await page.locator('table.entity-list tbody tr', { hasText: 'finance-isac' }).filter({ hasText: 'config-managed (read-only)' }).waitFor();

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
    await box.getByRole('button', { name: 'Done' }).click();
    await box.waitFor({ state: 'detached' }); // gone: the token is not shown again
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('alice (org-admin of acme-hq) reads what the admin API lets her: the audit trail is refused with the hub\'s reason, users only of her organization', async () => {
    const page = await hub.newPage();
    await signIn(page, 'alice');
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.locator('.audit-trail p.error').filter({ hasText: /^The audit trail could not be read: .+/ }).waitFor();
    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Users' });
    await page.locator('table.entity-list tbody tr', { hasText: 'alice' }).waitFor();
    const organizations = await page.locator('table.entity-list tbody tr td:nth-child(2)').allInnerTexts();
    expect(new Set(organizations)).toEqual(new Set(['acme-hq']));
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

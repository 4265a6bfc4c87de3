import type { Page } from 'playwright-core';
import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

let hub: ConsoleBrowser;

const basic = (username: string) => `Basic ${Buffer.from(`${username}:${username}-demo-pw`).toString('base64')}`;
async function submit(username: string, tlp: string, values: readonly string[]): Promise<void> {
  const res = await fetch(`${hub.url}/api/submissions`, {
    method: 'POST',
    headers: { Authorization: basic(username), 'Content-Type': 'application/json' },
    body: JSON.stringify({ collection: 'acme-internal', marking: { tlp }, valid_from: '2026-11-01T00:00:00Z', indicators: values.map((value) => ({ kind: 'c2-ip', value })) }),
  });
  expect(res.status).toBe(200);
}
async function visibleTo(username: string): Promise<string[]> {
  const res = await fetch(`${hub.url}/api/collections`, { headers: { Authorization: basic(username) } });
  return ((await res.json()) as { collections: { id: string; alias?: string }[] }).collections.map((c) => c.alias ?? c.id).sort();
}

/** Script errors and CSP violations of a page (the first "who am I" answers 401: expected). */
function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

beforeAll(async () => {
  hub = await startConsoleBrowser();
  await submit('bob', 'amber', ['198.51.100.1', '198.51.100.2']);
  await submit('bob', 'green', ['198.51.100.3']);
}, 60_000);
afterAll(() => hub?.close());

describe('the Collections page in a browser', () => {
  test('alice (the ACME head office) sees ACME internal with its counts per provider and TLP, and may share into it', async () => {
    const page = await hub.newPage();
    const errors = errorsOf(page);
    await signIn(page, 'alice');
    await page.goto('/console/#/collections');
    await page.getByRole('heading', { level: 1, name: 'Collections' }).waitFor();
    const card = page.locator('section[data-collection="acme-internal"]');
    const table = card.getByRole('table', { name: 'Objects in ACME internal (acme-internal) by provider and TLP' });
    // STIX objects, each in its latest version: bob's indicators and what the hub made with them (his identity)
    expect(Number(await table.locator('tr[data-provider="acme-east"] td[data-tlp="amber"]').textContent())).toBeGreaterThanOrEqual(2);
    expect(Number(await table.locator('tr[data-provider="acme-east"] td[data-tlp="green"]').textContent())).toBeGreaterThanOrEqual(1);
    expect(Number(await card.locator('[data-figure="objects"]').textContent())).toBeGreaterThanOrEqual(3);
    await card.getByText('Default marking').waitFor();
    await card.getByRole('link', { name: /Share indicators/ }).waitFor();
    expect(errors).toEqual([]); // no CSP violation, no script error
    await page.context().close();
  });

  test('carol (consumer only, acme-west) sees only the collections she may see, no sibling AMBER counted, no write control, and that polls are not recorded', async () => {
    const page = await hub.newPage();
    await signIn(page, 'carol');
    await page.goto('/console/#/collections');
    await page.getByRole('heading', { level: 1, name: 'Collections' }).waitFor();
    const card = page.locator('section[data-collection="acme-internal"]');
    await card.getByRole('table').waitFor();
    const shown = await page.locator('section[data-collection]').evaluateAll((ss) => ss.map((s) => s.getAttribute('data-collection') ?? '').sort());
    expect(shown).toEqual(await visibleTo('carol'));
    expect(await card.locator('tr[data-provider="acme-east"] td[data-tlp="amber"]').count()).toBe(0);
    expect(Number(await card.locator('tr[data-provider="acme-east"] td[data-tlp="green"]').textContent())).toBeGreaterThanOrEqual(1);
    expect(await card.locator('dd[data-access]').getAttribute('data-access')).toBe('readOnly');
    expect(await card.locator('dd[data-access]').textContent()).toMatch(/^you may read /);
    await card.getByText(/the hub does not record TAXII polls/).waitFor();
    expect(await page.getByRole('link', { name: /Share indicators/ }).count()).toBe(0);
    expect(await page.getByText('Writers', { exact: true }).count()).toBe(0);
    await page.context().close();
  });

  test('an operator also sees the owner and the readers and writers', async () => {
    const page = await hub.newPage();
    await signIn(page, 'operator');
    await page.goto('/console/#/collections');
    const card = page.locator('section[data-collection="acme-internal"]');
    await card.getByText('trust group acme-tree').waitFor();
    expect(await card.locator('dt:has-text("Readers") + dd').textContent()).toContain('acme-west');
    await card.getByRole('table').waitFor();
    await page.context().close();
  });
});

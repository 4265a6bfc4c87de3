import type { Page } from 'playwright-core';
import { DEMO_COLLECTIONS } from '../support/demo-config';
import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

let hub: ConsoleBrowser;
/** A time as the English console writes it (components/time-text.tsx), in the browser's zone: "Dec 7, 2026, 03:05 UTC". */
const EN_TIME = String.raw`[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} \S+`;

const basic = (username: string) => `Basic ${Buffer.from(`${username}:${username}-demo-pw`).toString('base64')}`;
async function submit(username: string, tlp: string, values: readonly string[]): Promise<void> {
  const res = await fetch(`${hub.url}/api/submissions`, {
    method: 'POST',
    headers: { Authorization: basic(username), 'Content-Type': 'application/json' },
    body: JSON.stringify({ collection: 'acme-internal', marking: { tlp }, valid_from: '2026-11-01T00:00:00Z', indicators: values.map((value) => ({ kind: 'c2-ip', value })) }),
  });
  expect(res.status).toBe(200);
}
/** A TAXII 2.1 Get Objects of ACME internal, as a consumer's TAXII client polls it. */
async function pollTaxii21(username: string): Promise<void> {
  const res = await fetch(`${hub.url}/demo/collections/${DEMO_COLLECTIONS.acmeInternal}/objects/`, { headers: { Authorization: basic(username), Accept: 'application/taxii+json;version=2.1' } });
  expect(res.status).toBe(200);
}
interface Figures {
  readonly last_added?: string;
  readonly own_polls?: { readonly last_poll?: { readonly at: string }; readonly lag?: { readonly oldest_waiting?: string } };
}
/** What GET /api/collections/{c}/figures says of ACME internal to `username`. */
async function figuresOf(username: string): Promise<Figures> {
  const res = await fetch(`${hub.url}/api/collections/${DEMO_COLLECTIONS.acmeInternal}/figures`, { headers: { Authorization: basic(username) } });
  expect(res.status).toBe(200);
  return (await res.json()) as Figures;
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
    // all STIX objects, and beside them the indicators among them (bob's 3; his identity is not one)
    expect(Number(await card.locator('[data-figure="indicators"]').textContent())).toBeGreaterThanOrEqual(3);
    expect(Number(await card.locator('[data-figure="indicators"]').textContent())).toBeLessThan(Number(await card.locator('[data-figure="objects"]').textContent()));
    expect(Number(await table.locator('tr[data-provider="acme-east"] td[data-indicators]').textContent())).toBeGreaterThanOrEqual(3);
    await card.getByText('Default marking').waitFor();
    const lastActivity = card.locator('dt:text-is("Last activity") + dd time');
    expect(await lastActivity.getAttribute('datetime')).toBe((await figuresOf('alice')).last_added);
    expect(await lastActivity.textContent()).toMatch(new RegExp(`^${EN_TIME}$`));
    await card.getByRole('link', { name: /Share indicators/ }).waitFor();
    expect(errors).toEqual([]); // no CSP violation, no script error
    await page.context().close();
  });

  test('carol (consumer only, acme-west) sees only the collections she may see, no sibling AMBER counted, no write control, and that she never polled', async () => {
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
    expect(await card.locator('dd[data-polls="own"]').textContent()).toBe('never polled');
    expect(await page.getByRole('link', { name: /Share indicators/ }).count()).toBe(0);
    expect(await page.getByText('Writers', { exact: true }).count()).toBe(0);
    await page.context().close();
  });

  test('carol polls over TAXII 2.1 and sees her last poll; an object added after it shows as her lag until she polls again', async () => {
    const page = await hub.newPage();
    const errors = errorsOf(page);
    await signIn(page, 'carol');
    await pollTaxii21('carol');
    await page.goto('/console/#/collections');
    const own = page.locator('section[data-collection="acme-internal"] dd[data-polls="own"]');
    await own.locator('[data-last-poll="taxii21"]').waitFor();
    expect(await own.textContent()).toMatch(new RegExp(`^Your last poll: ${EN_TIME} \\(TAXII 2\\.1, as carol\\); up to date: `));
    const figures = await figuresOf('carol');
    expect(await own.locator('time').getAttribute('datetime')).toBe(figures.own_polls?.last_poll?.at); // the hub's exact value
    await submit('bob', 'green', ['198.51.100.9']);
    await page.reload();
    await own.locator('[data-lag="1"]').waitFor();
    expect(await own.textContent()).toMatch(new RegExp(`; objects behind: 1; the oldest waiting since ${EN_TIME}\\.$`));
    expect(await own.locator('[data-lag="1"] time').getAttribute('datetime')).toBe((await figuresOf('carol')).own_polls?.lag?.oldest_waiting);
    await submit('bob', 'green', ['198.51.100.10']);
    await page.reload();
    await own.locator('[data-lag="2"]').waitFor();
    await pollTaxii21('carol');
    await page.reload();
    await own.locator('[data-lag="0"]').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('an operator also sees the owner and the readers and writers', async () => {
    const page = await hub.newPage();
    await signIn(page, 'operator');
    await page.goto('/console/#/collections');
    const card = page.locator('section[data-collection="acme-internal"]');
    await card.getByText('trust group acme-tree').waitFor();
    expect(await card.locator('dt:has-text("Readers") + dd').textContent()).toContain('acme-west');
    await card.getByRole('table', { name: /by provider and TLP/ }).waitFor();
    // and every consumer organization's last poll and lag: carol polled, alice's head office never did
    const polls = card.getByRole('table', { name: 'Last poll and lag of each consumer organization of ACME internal (acme-internal)' });
    expect(await polls.locator('tr[data-organization="acme-west"] td[data-last-poll="taxii21"]').count()).toBe(1);
    expect(await polls.locator('tr[data-organization="acme-west"]').textContent()).toContain('as carol');
    expect(await polls.locator('tr[data-organization="acme-west"] td[data-lag]').getAttribute('data-lag')).toBe('0');
    expect(await polls.locator('tr[data-organization="acme-hq"] td[data-last-poll="never"]').textContent()).toBe('never polled');
    await page.context().close();
  });
});

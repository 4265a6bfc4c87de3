import type { Page } from 'playwright-core';
import { DEMO_COLLECTIONS } from '../support/demo-config';
import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

/**
 * The Analysis page in a browser (docs/analysis.md): bob (acme-east) reports one sender IP three
 * ways in two submissions; the operator pivots on the address and sees the three indicators, and
 * confirms the campaign candidate they make with a name; carol (a consumer) gets no Confirm or Reject.
 */

let hub: ConsoleBrowser;
beforeAll(async () => {
  hub = await startConsoleBrowser();
  const submit = (who: string, indicators: { kind: string; value: string }[]) => hubApi('POST', '/api/submissions', who, { collection: DEMO_COLLECTIONS.acmeInternal, valid_from: '2026-12-01T00:00:00Z', marking: { tlp: 'green' }, indicators });
  for (const [who, ip] of [['bob', IP], ['alice', ALICE_IP]] as const) {
    await submit(who, [{ kind: 'email-sender-ip', value: ip }, { kind: 'c2-ip', value: ip }]);
    await submit(who, [{ kind: 'url', value: `http://${ip}/gate.php` }]);
  }
}, 60_000);
afterAll(() => hub?.close());

const IP = '203.0.113.77';
/** alice (org-admin of acme-hq) reports another address the same way: her own organization's candidate. */
const ALICE_IP = '198.51.100.88';
const BROWSER_TEST_MS = 90_000;

const basic = (username: string) => `Basic ${Buffer.from(`${username}:${username}-demo-pw`).toString('base64')}`;
async function hubApi(method: string, path: string, username: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${hub.url}${path}`, { method, headers: { Authorization: basic(username), 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function openAnalysis(page: Page, username: string): Promise<void> {
  await signIn(page, username);
  await page.getByRole('link', { name: 'Analysis' }).click();
  await page.getByRole('heading', { level: 1, name: 'Analysis' }).waitFor();
}

const candidate = (page: Page, ip = IP) => page.locator('article.candidate', { hasText: ip });

describe('Analysis in a browser', () => {
  test('the operator pivots on the sender IP, sees the three indicators drawn and listed, and confirms their candidate with a name', async () => {
    const page = await hub.newPage();
    await openAnalysis(page, 'operator');

    await page.getByLabel('Value', { exact: true }).fill(IP);
    await page.getByLabel('Depth (hops)').selectOption('2');
    await page.getByRole('button', { name: 'Pivot', exact: true }).click();
    await page.locator('#pivot-summary').filter({ hasText: '4 nodes' }).waitFor();
    await page.getByRole('status').filter({ hasText: /4 nodes and \d+ edges found\./ }).waitFor();
    const graph = page.getByRole('img', { name: new RegExp(`^Pivot graph from ${IP.replace(/\./g, '\\.')}`) });
    expect(await graph.locator('g.pivot-node').count()).toBe(4);
    expect(await graph.locator('g.pivot-node.type-value').count()).toBe(1);
    await graph.locator('g.pivot-edge text', { hasText: 'same value' }).first().waitFor(); // edges drawn with their reasons
    const nodes = page.locator('table.pivot-nodes tbody tr');
    for (const kind of ['E-mail sender IP', 'C2 IP address', 'URL']) await nodes.filter({ hasText: kind }).filter({ hasText: 'acme-east' }).first().waitFor();
    expect(await page.locator('table.pivot-edges tbody tr', { hasText: 'same address' }).count()).toBeGreaterThan(0);
    expect(await page.locator('table.pivot-edges tbody tr', { hasText: 'host in URL' }).count()).toBeGreaterThan(0);
    expect(await page.locator('.truncated').count()).toBe(0);

    // From an indicator's id: the pivot starts from that object.
    // The URL indicator's node (the pivot from its value also reaches the address indicators, in no set order).
    const url = (await hubApi('GET', `/api/pivot?value=${encodeURIComponent(`http://${IP}/gate.php`)}&kind=url`, 'operator')).json.nodes as { id?: string; kind?: string }[];
    const urlId = url.find((n) => n.id !== undefined && n.kind === 'url')?.id ?? '';
    await page.getByLabel('Value', { exact: true }).fill(urlId);
    await page.getByLabel('Depth (hops)').selectOption('1');
    await page.getByRole('button', { name: 'Pivot', exact: true }).click();
    await page.locator('#pivot-summary').filter({ hasText: '3 nodes' }).waitFor();
    await page.getByRole('img', { name: new RegExp(`^Pivot graph from ${urlId}: 3 nodes`) }).waitFor();
    expect(await page.locator('svg.pivot-graph g.pivot-node.type-value').count()).toBe(0); // the indicator itself is the start
    expect(await page.locator('table.pivot-nodes tbody tr', { hasText: `URL http://${IP}/gate.php` }).locator('td').nth(1).textContent()).toBe('0'); // at hop 0

    const card = candidate(page);
    await card.getByText('Indicators: 3; submissions: 2; providers: 1; collections: 1').waitFor();
    expect(await card.locator('table.candidate-members tbody tr', { hasText: 'acme-internal' }).count()).toBe(3);
    await card.getByRole('button', { name: /^Confirm candidate/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm as a campaign?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Give the campaign a name.' }).waitFor();
    await dialog.getByLabel('Campaign name (required)').fill('Relay 77');
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: /Campaign Relay 77 published \(\d+ objects written\)\./ }).waitFor();
    await candidate(page, ALICE_IP).waitFor();
    await candidate(page).waitFor({ state: 'detached' }); // confirmed: it left the open list

    await page.getByLabel('Status').selectOption('in-campaign');
    await page.getByRole('button', { name: 'Show' }).click();
    await candidate(page).getByText('In campaign Relay 77').waitFor();
    expect(await candidate(page).getByRole('button', { name: /^Confirm candidate/ }).count()).toBe(1); // an operator may confirm new members again
    const campaigns = await hubApi('GET', '/api/campaign-candidates?status=in-campaign', 'operator');
    expect((campaigns.json.candidates as { campaign?: { name: string } }[])[0]?.campaign?.name).toBe('Relay 77');
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('carol (a consumer) sees the candidate but no Confirm or Reject, and the hub refuses her', async () => {
    const page = await hub.newPage();
    await openAnalysis(page, 'carol');
    await page.getByLabel('Status').selectOption('all');
    await page.getByRole('button', { name: 'Show' }).click();
    await candidate(page).locator('table.candidate-members tbody tr').nth(2).waitFor(); // she reads bob's GREEN indicators: the candidate is hers too
    expect(await page.getByRole('button', { name: /^(Confirm|Reject)/ }).count()).toBe(0);
    const seen = await hubApi('GET', '/api/campaign-candidates?status=all', 'carol');
    const id = (seen.json.candidates as { id: string; shared: { value: string }[] }[]).find((c) => c.shared.some((v) => v.value === IP))?.id ?? '';
    const refused = await hubApi('POST', `/api/campaign-candidates/${id}/reject`, 'carol', {});
    expect([refused.status, (refused.json.error as { message: string }).message]).toEqual([403, expect.stringContaining('you need the operator role')]);
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('alice (org-admin of acme-hq) may decide about her organization\'s candidate only, and sees the hub\'s refusal in the dialog', async () => {
    const page = await hub.newPage();
    await openAnalysis(page, 'alice');
    await page.getByLabel('Status').selectOption('all');
    await page.getByRole('button', { name: 'Show' }).click();
    await candidate(page, ALICE_IP).getByRole('button', { name: /^Reject candidate/ }).waitFor();
    await candidate(page).locator('table.candidate-members tbody tr').nth(2).waitFor();
    expect(await candidate(page).getByRole('button').count()).toBe(0); // acme-east's candidate: not hers to decide

    // Rejected meanwhile (through the API): the hub's 409 is shown in the dialog, and nothing is published.
    await candidate(page, ALICE_IP).getByRole('button', { name: /^Confirm candidate/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm as a campaign?' });
    await dialog.getByLabel('Campaign name (required)').fill('Too late');
    const mine = await hubApi('GET', '/api/campaign-candidates', 'alice');
    const id = (mine.json.candidates as { id: string; shared: { value: string }[] }[]).find((c) => c.shared.some((v) => v.value === ALICE_IP))?.id ?? '';
    expect((await hubApi('POST', `/api/campaign-candidates/${id}/reject`, 'alice', { reason: 'a shared relay' })).status).toBe(200);
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog.getByRole('alert').filter({ hasText: `The hub refused: Campaign candidate ${id} was rejected (a shared relay); it cannot be confirmed` }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.context().close();
  }, BROWSER_TEST_MS);
});

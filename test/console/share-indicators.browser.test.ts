import type { Locator, Page } from 'playwright-core';
import { DEMO_COLLECTIONS } from '../support/demo-config';
import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

/**
 * The Share and Indicators pages in a browser, on the demo's trust rules (docs/access.md): bob
 * (acme-east) shares into ACME internal; alice (acme-hq, its parent) reads acme-east's AMBER
 * indicators, carol (acme-west, its sibling, consumer only) does not.
 */

let hub: ConsoleBrowser;
beforeAll(async () => {
  hub = await startConsoleBrowser();
}, 60_000);
afterAll(() => hub?.close());

const ACME = DEMO_COLLECTIONS.acmeInternal;
const ACME_LABEL = 'ACME internal (acme-internal)';
/** Three browsers signing in and a dozen page loads: more than jest's 30 s on a busy two-core machine. */
const BROWSER_TEST_MS = 90_000;

const basic = (username: string) => `Basic ${Buffer.from(`${username}:${username}-demo-pw`).toString('base64')}`;
async function hubApi(method: string, path: string, username: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${hub.url}${path}`, { method, headers: { Authorization: basic(username), 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return (await response.json()) as Record<string, unknown>;
}

async function share(page: Page, values: string[]): Promise<void> {
  await page.getByRole('link', { name: 'Share' }).click();
  await page.getByRole('heading', { level: 1, name: 'Share' }).waitFor();
  await page.getByLabel('Collection').selectOption({ label: ACME_LABEL });
  await page.getByLabel('Marking (TLP)').selectOption('amber');
  await page.getByLabel('Values, one per line').fill(values.join('\n'));
}

async function openIndicators(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Indicators' }).click();
  await page.getByRole('heading', { level: 1, name: 'Indicators' }).waitFor();
  await page.getByLabel('Collection').selectOption({ label: ACME_LABEL });
  await page.getByRole('status').filter({ hasText: /indicators shown/ }).waitFor();
}

const row = (page: Page, text: string): Locator => page.locator('table.indicator-list tbody tr', { hasText: text });

async function confirmAction(page: Page, button: string, title: RegExp, reason: string, confirm: string): Promise<void> {
  await page.getByRole('button', { name: button }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('confirm-reason'); // the focus moved into the dialog
  await dialog.getByRole('textbox').fill(reason);
  await dialog.getByRole('button', { name: confirm }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe('Share and Indicators in a browser', () => {
  test('a submission with one rejected line: the line shows the hub\'s own message, live and after sharing, and the others are stored', async () => {
    const lines = ['198.51.100.77', 'https://drop.share-test.example/a', '999.1.1.1'];
    const hubAnswer = await hubApi('POST', '/api/submissions/check', 'bob', { collection: ACME, valid_from: '2026-12-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: '999.1.1.1' }] });
    const hubMessage = ((hubAnswer.indicators as { problems: { message: string }[] }[])[0]?.problems[0]?.message) ?? '';
    expect(hubMessage).not.toBe('');

    const page = await hub.newPage();
    await signIn(page, 'bob');
    await share(page, lines);
    await page.locator('#share-check-summary').filter({ hasText: '2 accepted, 1 rejected' }).waitFor();
    await page.locator('table.line-checks tr.rejected', { hasText: '999.1.1.1' }).filter({ hasText: `Rejected: ${hubMessage}` }).waitFor();
    expect(await page.locator('#share-check-summary').getAttribute('aria-live')).toBe('polite');

    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.locator('#share-result-summary').filter({ hasText: 'Stored: 2 created, 0 updated, 0 unchanged; 1 rejected.' }).waitFor();
    await page.locator('.share-result tr', { hasText: '999.1.1.1' }).filter({ hasText: hubMessage }).waitFor();

    const listing = await hubApi('GET', `/api/collections/${ACME}/indicators?provider=acme-east`, 'alice');
    const names = (listing.indicators as { name: string }[]).map((i) => i.name).join('\n');
    expect(names).toContain('198.51.100.77');
    expect(names).toContain('drop.share-test.example');
    expect(names).not.toContain('999.1.1.1');
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('bob shares an indicator; alice sees it, carol does not; bob marks it benign with a confirmation and alice sees it benign', async () => {
    const value = 'https://benign-test.example/cleaned';
    const bob = await hub.newPage();
    await signIn(bob, 'bob');
    await share(bob, [value]);
    await bob.locator('#share-check-summary').filter({ hasText: '1 accepted, 0 rejected' }).waitFor();
    await bob.getByRole('button', { name: 'Share', exact: true }).click();
    await bob.locator('#share-result-summary').filter({ hasText: '1 created' }).waitFor();

    const alice = await hub.newPage();
    await signIn(alice, 'alice');
    await openIndicators(alice);
    await row(alice, 'benign-test.example').filter({ hasText: 'Active' }).waitFor();
    // alice's organization is not the provider: no lifecycle control for her
    await row(alice, 'benign-test.example').getByRole('button', { name: /Details/ }).click();
    await alice.getByRole('heading', { level: 2, name: /benign-test\.example/ }).waitFor();
    await alice.getByText('acme-east').first().waitFor();
    expect(await alice.getByRole('button', { name: /Revoke|Mark benign|Purge/ }).count()).toBe(0);

    const carol = await hub.newPage();
    await signIn(carol, 'carol');
    expect(await carol.getByRole('link', { name: 'Share' }).count()).toBe(0);
    await openIndicators(carol);
    expect(await row(carol, 'benign-test.example').count()).toBe(0);

    await openIndicators(bob);
    await row(bob, 'benign-test.example').getByRole('button', { name: /Details/ }).click();
    await confirmAction(bob, 'Mark benign…', /^Mark URL .*benign-test\.example.* benign\?$/, 'the site was cleaned', 'Mark benign');
    await bob.getByRole('status').filter({ hasText: /benign-test\.example.* is marked benign\./ }).waitFor();
    await bob.locator('.indicator-detail dd.state-benign').waitFor();
    await row(bob, 'benign-test.example').filter({ hasText: 'Benign' }).waitFor();

    await alice.reload();
    await openIndicators(alice);
    await row(alice, 'benign-test.example').filter({ hasText: 'Benign' }).waitFor();
    for (const p of [alice, bob, carol]) await p.context().close();
  }, BROWSER_TEST_MS);

  test('revoke from the indicators page: the dialog names the indicator and says it is final; cancelling changes nothing', async () => {
    await hubApi('POST', '/api/submissions', 'bob', { collection: ACME, valid_from: '2026-12-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value: 'revoke-me.example' }] });
    const page = await hub.newPage();
    await signIn(page, 'bob');
    await openIndicators(page);
    await row(page, 'revoke-me.example').getByRole('button', { name: /Details/ }).click();

    await page.getByRole('button', { name: 'Revoke…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Revoke .*revoke-me\.example\?$/ });
    await dialog.getByText('Revocation is final.', { exact: false }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await row(page, 'revoke-me.example').filter({ hasText: 'Active' }).waitFor();

    await confirmAction(page, 'Revoke…', /^Revoke .*revoke-me\.example\?$/, 'shared by mistake', 'Revoke');
    await row(page, 'revoke-me.example').filter({ hasText: 'Revoked' }).waitFor();
    expect(await page.getByRole('button', { name: 'Revoke…' }).count()).toBe(0); // final: no second revoke offered
    const listing = await hubApi('GET', `/api/collections/${ACME}/indicators?state=revoked`, 'bob');
    expect((listing.indicators as { name: string; reason?: string }[]).find((i) => i.name.includes('revoke-me.example'))).toMatchObject({ reason: 'shared by mistake' });
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('bulk upload: a unified submission file and a STIX bundle are stored in the chosen collection; a text file fills the values box', async () => {
    const page = await hub.newPage();
    await signIn(page, 'bob');
    await share(page, []);
    const upload = async (name: string, mimeType: string, content: string) => {
      await page.getByLabel('File to upload', { exact: true }).setInputFiles({ name, mimeType, buffer: Buffer.from(content) });
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
    };
    await upload('wave.json', 'application/json', JSON.stringify({ valid_from: '2026-12-01T00:00:00Z', indicators: [{ kind: 'url', value: 'https://bulk-one.example/' }, { kind: 'c2-ip', value: '300.1.1.1' }] }));
    await page.locator('.share-bulk').getByText('wave.json: 1 created, 0 updated, 0 unchanged, 1 rejected.').waitFor();

    const id = 'indicator--5b6d3a9e-0c1f-4e55-8f1e-2b9a7c3d4e51';
    const bundle = { type: 'bundle', id: 'bundle--0d5e0c4a-6a0b-4c8e-9f57-1e2d3c4b5a69', objects: [{
      type: 'indicator', spec_version: '2.1', id, created: '2026-12-01T00:00:00.000Z', modified: '2026-12-01T00:00:00.000Z',
      name: 'bulk STIX', pattern: "[domain-name:value = 'bulk-stix.example']", pattern_type: 'stix', valid_from: '2026-12-01T00:00:00Z',
      object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
    }] };
    await upload('bundle.json', 'application/json', JSON.stringify(bundle));
    await page.locator('.share-bulk').getByText('bundle.json: 1 objects stored, 0 refused.').waitFor();
    const listing = await hubApi('GET', `/api/collections/${ACME}/indicators?provider=acme-east`, 'alice');
    expect((listing.indicators as { id: string; name: string }[]).map((i) => i.name)).toEqual(expect.arrayContaining(['bulk STIX', expect.stringContaining('bulk-one.example')]));

    await upload('list.txt', 'text/plain', 'bulk-three.example\n\n203.0.113.250\n');
    await page.locator('.share-bulk').getByText('2 lines of list.txt are in the values box.').waitFor();
    expect(await page.getByLabel('Values, one per line').inputValue()).toBe('bulk-three.example\n203.0.113.250');
    await page.locator('#share-check-summary').filter({ hasText: '2 accepted, 0 rejected' }).waitFor();
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('in Japanese: the pages, their labels and the check speak Japanese; the hub\'s own messages stay in its words', async () => {
    const page = await hub.newPage('ja-JP');
    await signIn(page, 'bob');
    await page.getByRole('link', { name: '共有' }).click();
    await page.getByRole('heading', { level: 1, name: '共有' }).waitFor();
    await page.getByLabel('コレクション', { exact: true }).selectOption({ label: ACME_LABEL });
    await page.getByLabel('値(1行に1つ)').fill('198.51.100.88\n999.1.1.1');
    await page.locator('#share-check-summary').filter({ hasText: '受理 1 件、拒否 1 件' }).waitFor();
    await page.locator('table.line-checks tr.rejected').filter({ hasText: "拒否: octet '999' of '999.1.1.1' is above 255" }).waitFor();
    await page.getByRole('link', { name: 'インジケーター' }).click();
    await page.getByRole('heading', { level: 1, name: 'インジケーター' }).waitFor();
    await page.getByLabel('状態').selectOption({ label: '有効' });
    await page.getByRole('button', { name: '表示' }).waitFor();
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('the Indicators filters are in the address: a reload shows the same list, Back the one before', async () => {
    const made = await hubApi('POST', '/api/submissions', 'bob', { collection: ACME, valid_from: '2026-12-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value: 'filter-kept.example' }, { kind: 'c2-hostname', value: 'filter-revoked.example' }] });
    const revokedId = (made.indicators as { id: string }[])[1]?.id ?? '';
    await hubApi('POST', `/api/collections/${ACME}/indicators/${encodeURIComponent(revokedId)}/revoke`, 'bob', { reason: 'for the filter test' });

    const page = await hub.newPage();
    await signIn(page, 'alice');
    await openIndicators(page);
    await page.getByLabel('State').selectOption('active');
    await page.getByLabel('Provider (organization id)').fill('acme-east');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await row(page, 'filter-kept.example').waitFor();
    expect(await row(page, 'filter-revoked.example').count()).toBe(0);
    expect(new URL(page.url()).hash).toBe(`#/indicators?collection=${ACME}&state=active&provider=acme-east`);

    await page.reload();
    await row(page, 'filter-kept.example').waitFor();
    expect(await row(page, 'filter-revoked.example').count()).toBe(0);
    expect(await page.getByLabel('State').inputValue()).toBe('active');
    expect(await page.getByLabel('Provider (organization id)').inputValue()).toBe('acme-east');
    expect(await page.getByLabel('Collection').inputValue()).toBe(ACME);

    await page.getByLabel('State').selectOption('revoked');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await row(page, 'filter-revoked.example').filter({ hasText: 'Revoked' }).waitFor();
    expect(await row(page, 'filter-kept.example').count()).toBe(0);

    await page.goBack();
    await row(page, 'filter-kept.example').waitFor();
    expect(await row(page, 'filter-revoked.example').count()).toBe(0);
    expect(await page.getByLabel('State').inputValue()).toBe('active'); // the form follows the address back
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('in Japanese: times are written the Japanese way with the exact value kept, and a hub 409 gets its Japanese heading above the hub\'s words', async () => {
    const made = await hubApi('POST', '/api/submissions', 'bob', { collection: ACME, valid_from: '2026-12-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value: 'race-409.example' }] });
    const id = (made.indicators as { id: string }[])[0]?.id ?? '';
    const page = await hub.newPage('ja-JP');
    await signIn(page, 'bob');
    await page.getByRole('link', { name: 'インジケーター' }).click();
    await page.getByRole('heading', { level: 1, name: 'インジケーター' }).waitFor(); // the trust map, left behind, has a '参照できるコレクション' section
    await page.getByLabel('コレクション', { exact: true }).selectOption({ label: ACME_LABEL });
    const listed = row(page, 'race-409.example');
    const until = listed.locator('time');
    await until.waitFor();
    const exact = await until.getAttribute('datetime');
    expect(exact).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/); // the hub's own value
    expect(await until.getAttribute('title')).toBe(exact);
    expect(await until.textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} \S+$/);

    await listed.getByRole('button', { name: /の詳細$/ }).click();
    await page.getByRole('button', { name: '取り消す…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Revoked meanwhile (through the API): confirming answers the hub's 409.
    await hubApi('POST', `/api/collections/${ACME}/indicators/${encodeURIComponent(id)}/revoke`, 'bob', {});
    await dialog.getByRole('button', { name: '取り消す', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await alert.locator('.hub-error-heading').filter({ hasText: '現在の状態ではできません' }).waitFor();
    expect(await alert.innerText()).toMatch(/^現在の状態ではできません\n失敗しました: The indicator is already revoked/);
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('an operator opens the audit trail of an indicator from its details, filtered by it; others get no such link', async () => {
    const made = await hubApi('POST', '/api/submissions', 'bob', { collection: ACME, valid_from: '2026-12-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value: 'audited.example' }] });
    const id = (made.indicators as { id: string }[])[0]?.id ?? '';
    await hubApi('POST', `/api/collections/${ACME}/indicators/${encodeURIComponent(id)}/revoke`, 'bob', { reason: 'audit link test' });

    const alice = await hub.newPage();
    await signIn(alice, 'alice');
    await openIndicators(alice);
    await row(alice, 'audited.example').getByRole('button', { name: /Details/ }).click();
    await alice.locator('.indicator-detail dd.state-revoked').waitFor();
    expect(await alice.getByRole('link', { name: 'Audit trail for this indicator' }).count()).toBe(0);
    await alice.context().close();

    const page = await hub.newPage();
    await signIn(page, 'operator');
    await openIndicators(page);
    await row(page, 'audited.example').getByRole('button', { name: /Details/ }).click();
    const link = page.getByRole('link', { name: 'Audit trail for this indicator' });
    expect(await link.getAttribute('href')).toBe(`#/administration?audit_entity_type=indicator&audit_entity_id=${encodeURIComponent(id)}`);
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    const entries = page.locator('table.audit-list tbody tr');
    await entries.filter({ hasText: 'indicator.revoke' }).filter({ hasText: id }).waitFor();
    expect(await entries.evaluateAll((rows, wanted) => rows.every((r) => (r.textContent ?? '').includes(wanted)), id)).toBe(true); // only this indicator's entries
    expect(await page.getByLabel('Entity id').inputValue()).toBe(id);
    expect(await page.getByLabel('Entity type').inputValue()).toBe('indicator');
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('a consumer reports a false positive from the details; it shows in the reports with her own organization, and she gets no lifecycle control', async () => {
    await hubApi('POST', '/api/submissions', 'alice', { collection: ACME, valid_from: '2026-12-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value: 'cdn-lookalike.example' }] });
    const page = await hub.newPage();
    await signIn(page, 'carol');
    await openIndicators(page);
    await row(page, 'cdn-lookalike.example').getByRole('button', { name: /Details/ }).click();
    await page.getByRole('heading', { level: 2, name: /cdn-lookalike\.example/ }).waitFor();
    expect(await page.getByRole('button', { name: /Revoke|Mark benign|Purge/ }).count()).toBe(0);
    await confirmAction(page, 'Report a false positive…', /^Report .*cdn-lookalike\.example as a false positive\?$/, 'our own CDN edge', 'Report');
    await page.locator('.indicator-detail tr', { hasText: 'our own CDN edge' }).filter({ hasText: 'acme-west' }).waitFor();
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.locator('.indicator-detail').waitFor({ state: 'detached' });
    // The focus goes back to the row's Details button once the details are gone (the next task after closing).
    await page.waitForFunction("/^Details of .*cdn-lookalike\\.example$/.test((document.activeElement && document.activeElement.getAttribute('aria-label')) || '')");
    await page.context().close();
  }, BROWSER_TEST_MS);
});

import { DEMO_COLLECTIONS } from '../support/demo-config';
import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

/**
 * The shared ModalDialog (console/src/components/modal-dialog.tsx) as a keyboard user meets it, in
 * the lifecycle dialog of the Indicators page: modal and named, Tab and Shift+Tab stay inside it,
 * Escape closes it and the focus goes back to the button that opened it.
 */

let hub: ConsoleBrowser;
beforeAll(async () => {
  hub = await startConsoleBrowser();
}, 60_000);
afterAll(() => hub?.close());

const focused = (page: import('playwright-core').Page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent || '');

test('the confirmation dialog keeps the focus inside, closes on Escape and gives the focus back', async () => {
  const basic = `Basic ${Buffer.from('bob:bob-demo-pw').toString('base64')}`;
  const shared = await fetch(`${hub.url}/api/submissions`, {
    method: 'POST',
    headers: { Authorization: basic, 'Content-Type': 'application/json' },
    body: JSON.stringify({ collection: DEMO_COLLECTIONS.acmeInternal, valid_from: '2026-12-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value: 'dialog-keys.example' }] }),
  });
  expect(shared.status).toBe(200);

  const page = await hub.newPage();
  await signIn(page, 'bob');
  await page.getByRole('link', { name: 'Indicators' }).click();
  await page.getByRole('heading', { level: 1, name: 'Indicators' }).waitFor(); // the trust map, left behind, has its own 'Collections you may see'
  await page.getByLabel('Collection', { exact: true }).selectOption({ label: 'ACME internal (acme-internal)' });
  await page.getByRole('row').filter({ hasText: 'dialog-keys.example' }).getByRole('button', { name: /^Details of / }).click();
  await page.getByRole('button', { name: 'Revoke…' }).click();

  const dialog = page.getByRole('dialog', { name: /^Revoke .*dialog-keys\.example\?$/ });
  await dialog.waitFor();
  expect(await dialog.getAttribute('aria-modal')).toBe('true');
  expect(await focused(page)).toBe('confirm-reason'); // the first field
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('Cancel');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('Revoke');
  await page.keyboard.press('Tab'); // past the last control: back to the first
  expect(await focused(page)).toBe('confirm-reason');
  await page.keyboard.press('Shift+Tab'); // before the first: the last
  expect(await focused(page)).toBe('Revoke');

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(await focused(page)).toBe('Revoke…'); // back on the button that opened it
  await page.getByRole('row').filter({ hasText: 'dialog-keys.example' }).filter({ hasText: 'Active' }).waitFor(); // nothing changed
  await page.context().close();
}, 60_000);

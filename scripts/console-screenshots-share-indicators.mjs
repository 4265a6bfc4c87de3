// The Share and Indicators screenshots in docs/console.md, taken by headless Chromium from a running
// demo hub (fresh data directory): bob checks a paste with a rejected line, then opens an indicator
// that alice reported a sighting and a false positive of, and the "mark benign" confirmation.
// Usage: node scripts/console-screenshots-share-indicators.mjs http://127.0.0.1:8080 docs/images
import path from 'node:path';
import { hubCaller, launchBrowser, signedInPage } from './screenshot-helpers.mjs';

const [hubUrl = 'http://127.0.0.1:8080', outDir = 'docs/images'] = process.argv.slice(2);
const ACME = '948f89cd-d3ab-4b2e-bb60-bdffe702b793';
const call = hubCaller(hubUrl);

const shared = await call('bob', 'POST', '/api/submissions', {
  collection: ACME, valid_from: '2026-12-01T08:00:00Z', marking: { tlp: 'amber' }, campaign: 'Operation Paper Cut',
  indicators: [{ kind: 'url', value: 'https://shop.example.net/checkout/skimmer.js' }, { kind: 'c2-ip', value: '203.0.113.77' }],
});
const id = shared.indicators[0].id;
await call('alice', 'POST', `/api/collections/${ACME}/sightings`, { sightings: [{ indicator: id, count: 12, first_seen: '2026-12-02T09:10:00Z', last_seen: '2026-12-03T17:45:00Z' }] });
await call('alice', 'POST', `/api/collections/${ACME}/indicators/${id}/false-positive`, { explanation: 'the shop replaced the script on 2026-12-04' });

const browser = await launchBrowser();
try {
  const page = await signedInPage(browser, hubUrl, 'bob', { width: 1100, height: 900 });

  await page.getByRole('link', { name: 'Share' }).click();
  await page.getByLabel('Collection').selectOption({ label: 'ACME internal (acme-internal)' });
  await page.getByLabel('Marking (TLP)').selectOption('amber');
  await page.getByLabel('Campaign (optional)').fill('Operation Paper Cut');
  await page.getByLabel('Values, one per line').fill(['198.51.100.23', 'HTTP://Evil.Example:80/drop%7eper', 'cdn.bücher.example', '999.1.1.1', 'billing@invoices.example'].join('\n'));
  await page.locator('#share-check-summary').filter({ hasText: 'rejected' }).waitFor();
  await page.locator('main').screenshot({ path: path.join(outDir, 'console-share.png') });

  await page.getByRole('link', { name: 'Indicators' }).click();
  await page.getByLabel('Collection').selectOption({ label: 'ACME internal (acme-internal)' });
  await page.locator('table.indicator-list tbody tr', { hasText: 'skimmer.js' }).getByRole('button', { name: /Details/ }).click();
  await page.locator('.indicator-detail caption', { hasText: 'Sightings and false positives' }).waitFor();
  await page.locator('main').screenshot({ path: path.join(outDir, 'console-indicators.png') });

  await page.getByRole('button', { name: 'Mark benign…' }).click();
  await page.getByRole('dialog').getByRole('textbox').fill('the shop replaced the script on 2026-12-04');
  await page.screenshot({ path: path.join(outDir, 'console-mark-benign.png') });
  console.log(`wrote console-share.png, console-indicators.png and console-mark-benign.png in ${outDir}`);
} finally {
  await browser.close();
}

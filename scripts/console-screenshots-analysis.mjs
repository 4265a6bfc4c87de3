// The Analysis screenshots in docs/console.md, taken by headless Chromium from a running demo hub
// (fresh data directory): the short three-wave example of docs/analysis.md (alice and frank in the
// ISAC feed, dave in the alliance exchange), then the operator's pivot on the sender address, two
// hops out, and the campaign candidates with the Confirm dialog.
// Usage: node scripts/console-screenshots-analysis.mjs http://127.0.0.1:8080 docs/images
import path from 'node:path';
import { hubCaller, launchBrowser, signedInPage } from './screenshot-helpers.mjs';

const [hubUrl = 'http://127.0.0.1:8080', outDir = 'docs/images'] = process.argv.slice(2);
const call = hubCaller(hubUrl);

const now = new Date().toISOString();
const submit = (user, collection, tlp, indicators) => call(user, 'POST', '/api/submissions', { collection, valid_from: now, marking: { tlp }, indicators });
await submit('alice', 'isac-feed', 'green', [
  { kind: 'email-sender-ip', value: '203.0.113.45' }, { kind: 'email-attachment-name', value: 'Remittance_Advice_0923.zip' }, { kind: 'c2-hostname', value: 'cdn-update.kuro-relay.example' },
]);
await submit('frank', 'isac-feed', 'amber', [
  { kind: 'email-sender-ip', value: '203.0.113.45' }, { kind: 'email-attachment-name', value: 'remittance_advice_0923.zip' }, { kind: 'url', value: 'http://cdn-update.kuro-relay.example/gate.php' },
]);
await submit('dave', 'alliance-exchange', 'amber', [{ kind: 'c2-hostname', value: 'cdn-update.kuro-relay.example' }, { kind: 'email-sender-ip', value: '203.0.113.45' }]);

const browser = await launchBrowser();
try {
  const page = await signedInPage(browser, hubUrl, 'operator', { width: 1100, height: 900 });

  await page.getByRole('link', { name: 'Analysis' }).click();
  await page.getByLabel('Value', { exact: true }).fill('203.0.113.45');
  await page.getByLabel('Depth (hops)').selectOption('2');
  await page.getByRole('button', { name: 'Pivot', exact: true }).click();
  await page.locator('#pivot-summary').waitFor();
  await page.locator('.pivot-result').screenshot({ path: path.join(outDir, 'console-pivot.png') });

  const card = page.locator('article.candidate').first();
  await card.waitFor();
  await card.screenshot({ path: path.join(outDir, 'console-candidate.png') });
  console.log(`wrote console-pivot.png and console-candidate.png in ${outDir}`);
} finally {
  await browser.close();
}

// The screenshot in docs/console.md: a running demo hub's trust map, the recipients preview of
// acme-hq's TLP:AMBER object in the ACME-Globex alliance exchange, taken by headless Chromium.
// Usage: node scripts/console-screenshot.mjs http://127.0.0.1:8080 docs/images/console-trust-map.png
import { launchBrowser, signedInPage } from './screenshot-helpers.mjs';

const [hubUrl = 'http://127.0.0.1:8080', out = 'docs/images/console-trust-map.png'] = process.argv.slice(2);
const browser = await launchBrowser();
try {
  const page = await signedInPage(browser, hubUrl, 'operator', { width: 1000, height: 800 });
  await page.getByLabel('Provider').selectOption('acme-hq');
  await page.getByLabel('Collection').selectOption({ label: 'ACME-Globex alliance exchange (alliance-exchange)' });
  await page.getByLabel('TLP level').selectOption('amber');
  await page.getByRole('button', { name: 'Show recipients' }).click();
  await page.locator('.preview-result').waitFor();
  await page.locator('section.preview').screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}

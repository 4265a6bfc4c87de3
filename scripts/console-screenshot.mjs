// The screenshot in docs/console.md: a running demo hub's trust map, the recipients preview of
// acme-hq's TLP:AMBER object in the ACME-Globex alliance exchange, taken by headless Chromium.
// Usage: node scripts/console-screenshot.mjs http://127.0.0.1:8080 docs/images/console-trust-map.png
import { chromium } from 'playwright-core';

const [hubUrl = 'http://127.0.0.1:8080', out = 'docs/images/console-trust-map.png'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1000, height: 800 } });
  await page.goto(new URL('/console/', hubUrl).href);
  await page.getByLabel('Username').fill('operator');
  await page.getByLabel('Password').fill('operator-demo-pw');
  await page.getByRole('button', { name: 'Sign in' }).click();
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

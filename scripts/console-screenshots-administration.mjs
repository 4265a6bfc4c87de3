// The Administration screenshot in docs/console.md, taken by headless Chromium from a running demo
// hub (fresh data directory): the operator makes an organization (initech-eu), a user in it (ivan)
// and an API key for ivan through the admin API; the screenshot shows the organizations, the
// config-managed ones read-only with the file and line that declare them and initech-eu with its
// Edit button, and the API keys with Revoke.
// Usage: node scripts/console-screenshots-administration.mjs http://127.0.0.1:8080 docs/images
import path from 'node:path';
import { hubCaller, launchBrowser, signedInPage } from './screenshot-helpers.mjs';

const [hubUrl = 'http://127.0.0.1:8080', outDir = 'docs/images'] = process.argv.slice(2);
const call = hubCaller(hubUrl);

await call('operator', 'POST', '/admin/api/organizations', { id: 'initech-eu', name: 'Initech Europe', parent: 'initech' });
await call('operator', 'POST', '/admin/api/users', { username: 'ivan', organization: 'initech-eu', roles: ['provider', 'consumer'] });
await call('operator', 'POST', '/admin/api/users/ivan/api-keys', { name: 'SIEM poller', expires_at: '2027-06-30T00:00:00Z' });

const browser = await launchBrowser();
try {
  const page = await signedInPage(browser, hubUrl, 'operator', { width: 1100, height: 1400 });
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.locator('table.entity-list tbody tr', { hasText: 'initech-eu' }).waitFor();
  await page.locator('table.api-key-list tbody tr', { hasText: 'SIEM poller' }).waitFor();
  const top = await page.locator('section.hub-entities').boundingBox();
  const bottom = await page.locator('section.api-keys').boundingBox();
  if (top === null || bottom === null) throw new Error('the Administration sections are not on the page');
  const out = path.join(outDir, 'console-administration.png');
  await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: top.y, width: 1100, height: bottom.y + bottom.height - top.y + 8 } });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}

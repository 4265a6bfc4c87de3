// The Deliveries screenshot in docs/console.md, taken by headless Chromium from a running demo hub
// (fresh data directory). As the demo allow-lists no delivery host, what alice sets up fails as it
// would before an operator adds the host: a webhook (retry window one minute) and a TAXII 2.1 forward
// of acme-internal, both refused by the outbound guard; carol subscribes over TAXII 1.1 without a
// push address (she polls). alice shares two indicators; the script waits until the webhook's first
// batch has failed for its retry window and become a dead letter (one to three minutes), pauses the
// forward, opens the webhook's newest attempts and photographs the operator's page down to the
// forwards.
// Usage: node scripts/console-screenshot-deliveries.mjs http://127.0.0.1:8080 docs/images/console-deliveries.png
import { setTimeout as wait } from 'node:timers/promises';
import { hubCaller, launchBrowser, signedInPage } from './screenshot-helpers.mjs';

const [hubUrl = 'http://127.0.0.1:8080', out = 'docs/images/console-deliveries.png'] = process.argv.slice(2);
const call = hubCaller(hubUrl);

const webhook = await call('alice', 'POST', '/api/webhooks', { collection: 'acme-internal', url: 'https://siem.acme.example/hooks/taxii-hub', kinds: ['c2-ip', 'c2-hostname', 'url'], retry_window_seconds: 60 });
const forward = await call('alice', 'POST', '/api/forwards', {
  collection: 'acme-internal', api_root_url: 'https://taxii.partner.example/api1/', remote_collection: '9e1c0f4e-6a43-4d8e-9a55-0b1f2c3d4e5f',
  credentials: { kind: 'bearer', token: 'partner-demo-token' }, filter: { types: ['indicator'] },
});

const TAXII11_NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1';
const subscribed = await fetch(new URL('/taxii1/collection-management', hubUrl), {
  method: 'POST',
  headers: {
    'Content-Type': 'application/xml', 'X-TAXII-Content-Type': 'urn:taxii.mitre.org:message:xml:1.1', 'X-TAXII-Services': 'urn:taxii.mitre.org:services:1.1',
    Authorization: `Basic ${Buffer.from('carol:carol-demo-pw').toString('base64')}`,
  },
  body: `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${TAXII11_NS}" message_id="s-1" collection_name="acme-internal" action="SUBSCRIBE">
  <taxii_11:Subscription_Parameters><taxii_11:Response_Type>FULL</taxii_11:Response_Type></taxii_11:Subscription_Parameters>
</taxii_11:Subscription_Management_Request>`,
});
if (!subscribed.ok) throw new Error(`TAXII 1.1 SUBSCRIBE: ${subscribed.status} ${await subscribed.text()}`);

await call('alice', 'POST', '/api/submissions', {
  collection: 'acme-internal', valid_from: new Date().toISOString(),
  indicators: [{ kind: 'c2-hostname', value: 'update-check.kuro-relay.example' }, { kind: 'c2-ip', value: '198.51.100.23' }],
});

// The engine retries with backoff; the first attempt after the retry window stores the dead letter.
const deadline = Date.now() + 6 * 60_000;
for (;;) {
  const { dead_letters: letters } = await call('alice', 'GET', `/api/webhooks/${webhook.id}/dead-letters`);
  if (letters.length > 0) break;
  if (Date.now() > deadline) throw new Error('no dead letter after 6 minutes: is the delivery engine running?');
  await wait(5_000);
}
await call('alice', 'POST', `/api/forwards/${forward.id}/pause`, {});

const browser = await launchBrowser();
try {
  const page = await signedInPage(browser, hubUrl, 'operator', { width: 1100, height: 900 });
  await page.getByRole('link', { name: 'Deliveries' }).click();
  await page.getByRole('status').filter({ hasText: 'Deliveries shown:' }).waitFor();
  // The webhook's newest attempts, opened: each refused by the outbound guard.
  await page.getByText('Newest attempts (up to 20)').click();
  await page.locator('table.attempt-list tbody tr').first().waitFor();
  await page.evaluate('window.scrollTo(0, 0)'); // the click scrolled; the boxes below are measured from the top
  const top = await page.getByRole('heading', { level: 1, name: 'Deliveries' }).boundingBox();
  const forwards = await page.locator('section[aria-labelledby="forwards-heading"]').boundingBox();
  if (top === null || forwards === null) throw new Error('the Deliveries page is not laid out');
  await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: top.y - 16, width: 1100, height: forwards.y + forwards.height - top.y + 24 } });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}

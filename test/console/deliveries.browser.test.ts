import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SqlChangeFeedStore } from '../../src/storage/sql/sql-change-feed-store';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import { SqlWebhookStore } from '../../src/storage/sql/sql-webhook-store';
import { DEMO_COLLECTIONS } from '../support/demo-config';
import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

/**
 * The Deliveries page in a browser. acme-hq may deliver to loopback (127.0.0.1/32 on its delivery
 * allow-list, as an operator would set it); a receiver there answers 500 until the test says
 * otherwise. Through the API, the operator makes a webhook and a forward for acme-hq and alice
 * subscribes over TAXII 1.1, all to that receiver; alice shares an indicator and the delivery engine
 * tries each once and fails. The operator sees each with its state and last error, replays a dead
 * letter (the receiver now accepting), pauses and resumes; dave (org-admin of globex-hq) sees none
 * of acme-hq's; carol (consumer) sees the feeds and streams and no control at all.
 */

let hub: ConsoleBrowser;
let receiver: Receiver;
let webhookId = '';
let forwardId = '';
let letterId = '';
let indicatorId = '';

const ACME = DEMO_COLLECTIONS.acmeInternal;
const BROWSER_TEST_MS = 90_000;
/** A time as the English console writes delivery times (components/time-text.tsx, to the second), in the browser's zone: "Dec 7, 2026, 03:05:09 UTC". */
const EN_TIME = String.raw`[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}:\d{2} \S+`;

interface Receiver {
  readonly url: string;
  status: number;
  readonly bodies: string[];
  close(): Promise<void>;
}

/** An HTTP endpoint on loopback answering `status` (no body) to every request, keeping the bodies. */
async function startReceiver(): Promise<Receiver> {
  const bodies: string[] = [];
  const state = { status: 500 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get status() { return state.status; },
    set status(value: number) { state.status = value; },
    bodies,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

const basic = (username: string) => `Basic ${Buffer.from(`${username}:${username}-demo-pw`).toString('base64')}`;
async function hubApi(method: string, path: string, username: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${hub.url}${path}`, { method, headers: { Authorization: basic(username), 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

const TAXII11_NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1';
const subscribeMessage = (address: string) => `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${TAXII11_NS}" message_id="s-1" collection_name="acme-internal" action="SUBSCRIBE">
  <taxii_11:Subscription_Parameters><taxii_11:Response_Type>FULL</taxii_11:Response_Type></taxii_11:Subscription_Parameters>
  <taxii_11:Push_Parameters><taxii_11:Protocol_Binding>urn:taxii.mitre.org:protocol:http:1.0</taxii_11:Protocol_Binding><taxii_11:Address>${address}</taxii_11:Address><taxii_11:Message_Binding>urn:taxii.mitre.org:message:xml:1.1</taxii_11:Message_Binding></taxii_11:Push_Parameters>
</taxii_11:Subscription_Management_Request>`;

beforeAll(async () => {
  hub = await startConsoleBrowser();
  receiver = await startReceiver();
  const store = createSqlTenancyStore(hub.db);
  const acme = await store.organizations.get('acme-hq');
  if (!acme) throw new Error('the demo configuration has no acme-hq');
  await store.organizations.update({ ...acme, deliveryAllowList: ['127.0.0.1/32'] });

  const webhook = await hubApi('POST', '/api/webhooks', 'operator', { collection: 'acme-internal', url: `${receiver.url}/hook`, organization: 'acme-hq', user: 'alice' });
  const forward = await hubApi('POST', '/api/forwards', 'operator', { collection: 'acme-internal', api_root_url: `${receiver.url}/taxii/`, remote_collection: 'inbound', organization: 'acme-hq', run_as: 'alice' });
  const subscribed = await fetch(`${hub.url}/taxii1/collection-management`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/xml', 'X-TAXII-Content-Type': 'urn:taxii.mitre.org:message:xml:1.1', 'X-TAXII-Services': 'urn:taxii.mitre.org:services:1.1', Authorization: basic('alice') },
    body: subscribeMessage(`${receiver.url}/inbox`),
  });
  expect([webhook.status, forward.status, subscribed.status]).toEqual([201, 201, 200]);
  expect(await subscribed.text()).toContain('Subscription_Management_Response');
  webhookId = webhook.json.id as string;
  forwardId = forward.json.id as string;
  const cursor = Number((webhook.json.delivery as { cursor: string }).cursor);

  hub.delivery.start();
  const shared = await hubApi('POST', '/api/submissions', 'alice', { collection: ACME, valid_from: '2026-12-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value: 'deliver-me.example' }] });
  expect(shared.status).toBe(200);
  indicatorId = (shared.json.indicators as { id: string }[])[0]?.id ?? '';
  hub.delivery.wake(ACME);
  await hub.delivery.idle();
  await hub.delivery.stop(); // one failed attempt each; nothing changes behind the page from here on
  const failed = await hubApi('GET', `/api/webhooks/${webhookId}`, 'operator');
  const { last_error: lastError, backlog } = failed.json.delivery as { last_error: string; backlog: number };
  expect(lastError).toMatch(/500/);

  // A batch becomes a dead letter once it has failed for the webhook's retry window (at least a
  // minute): the test stores the one the engine would, over the range the failed attempt carried
  // (every event alice may read after the cursor: the webhook's backlog).
  const through = await new SqlChangeFeedStore(hub.db).lastPosition(ACME);
  letterId = randomUUID();
  await new SqlWebhookStore(hub.db).deadLetter({ id: letterId, webhookId, afterPosition: cursor, throughPosition: through, events: backlog, error: lastError, deadAt: new Date() });
}, 90_000);
afterAll(async () => {
  await hub?.close();
  await receiver?.close();
});

describe('Deliveries in a browser', () => {
  test('the operator sees the subscription, webhook and forward failing with their last error, replays a dead letter, pauses and resumes', async () => {
    const api = await hubApi('GET', `/api/webhooks/${webhookId}`, 'operator');
    const backlog = (api.json.delivery as { backlog: number }).backlog;
    expect(backlog).toBeGreaterThanOrEqual(1);

    const page = await hub.newPage();
    await signIn(page, 'operator');
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('heading', { level: 1, name: 'Deliveries' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Deliveries shown: subscriptions 1, webhooks 1, forwards 1.' }).waitFor();

    const subscription = page.locator('table.subscription-list tbody tr');
    expect(await subscription.count()).toBe(1);
    const cells = await subscription.first().locator('th, td').allInnerTexts();
    expect(cells.slice(0, 3)).toEqual(['acme-internal', 'acme-hq', `${receiver.url}/inbox`]);
    expect(cells[3]).toMatch(/^failing\s*failed attempts in a row: 1$/);
    expect(cells[6]).toMatch(/\S/);
    expect(cells[6]).not.toBe('none');

    const webhook = page.locator(`[data-webhook="${webhookId}"]`);
    await webhook.getByRole('heading', { name: `${receiver.url}/hook` }).waitFor();
    expect(await webhook.locator('[data-fact="state"] [data-state]').getAttribute('data-state')).toBe('failing');
    expect(await webhook.locator('[data-fact="last-error"]').innerText()).toMatch(new RegExp(`500.* \\(${EN_TIME}\\)$`));
    // times are written the reader's way, to the second, the hub's value in datetime; none yet: "never"
    const facts = (await hubApi('GET', `/api/webhooks/${webhookId}`, 'operator')).json.delivery as { last_attempt_at: string };
    const lastAttempt = webhook.locator('dt:text-is("Last attempt") + dd time');
    expect(await lastAttempt.getAttribute('datetime')).toBe(facts.last_attempt_at);
    expect(await lastAttempt.getAttribute('title')).toBe(facts.last_attempt_at);
    expect(await lastAttempt.textContent()).toMatch(new RegExp(`^${EN_TIME}$`));
    expect(await webhook.locator('dt:text-is("Last delivered") + dd').innerText()).toBe('never');
    expect(await webhook.locator('[data-fact="backlog"]').innerText()).toBe(`events: ${backlog}`);
    const forward = page.locator(`[data-forward="${forwardId}"]`);
    expect(await forward.locator('[data-fact="state"] [data-state]').getAttribute('data-state')).toBe('failing');
    expect(await forward.locator('[data-fact="last-error"]').innerText()).toMatch(/500/);

    // Replay the dead letter, the receiver accepting now.
    receiver.status = 204;
    const sentBefore = receiver.bodies.length;
    const letter = webhook.locator(`tr[data-letter="${letterId}"]`);
    expect(await letter.locator('td').nth(2).innerText()).toBe('never'); // not replayed yet
    const deadAt = letter.locator('th time');
    const letters = (await hubApi('GET', `/api/webhooks/${webhookId}/dead-letters`, 'operator')).json.dead_letters as { id: string; dead_at: string }[];
    expect(await deadAt.getAttribute('datetime')).toBe(letters.find((l) => l.id === letterId)?.dead_at);
    const deadAtText = (await deadAt.textContent()) ?? '';
    expect(deadAtText).toMatch(new RegExp(`^${EN_TIME}$`));
    // the button's name says the same time as the row
    await letter.getByRole('button', { name: `Replay the dead letter of ${deadAtText} (events: ${backlog})`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay this dead letter?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Replay' }).click();
    await page.locator('.delivery-outcome').filter({ hasText: `Replayed (events: ${backlog}; requests: 1).` }).waitFor();
    expect(receiver.bodies.slice(sentBefore).some((body) => body.includes(indicatorId))).toBe(true);
    await letter.locator('td').nth(2).locator('time').waitFor(); // replayed, with its time
    expect(await letter.locator('td').nth(2).innerText()).toMatch(new RegExp(`^${EN_TIME}$`));

    // The newest attempts, read when opened: the replay on top, the failed deliveries (HTTP 500) below.
    const logged = (await hubApi('GET', `/api/webhooks/${webhookId}/attempts?limit=20`, 'operator')).json.attempts as { id: string; outcome: string; status_code: number | null }[];
    await webhook.getByText('Newest attempts (up to 20)').click();
    const attempts = webhook.locator('table.attempt-list tbody tr');
    await attempts.first().waitFor();
    expect(await attempts.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-attempt')))).toEqual(logged.map((a) => a.id));
    expect(await attempts.first().innerText()).toMatch(new RegExp(`delivered\\s+204\\s+\\d+ ms\\s+${backlog}\\s+replay of dead letter ${letterId}`));
    const failedRow = webhook.locator('table.attempt-list tr.outcome-failed').first();
    expect(await failedRow.locator('td').nth(1).innerText()).toBe('500');
    expect(await failedRow.locator('td.delivery-error').innerText()).toMatch(/500/);

    // Pause the webhook, then resume it.
    await webhook.getByRole('button', { name: `Pause the webhook to ${receiver.url}/hook` }).click();
    const pause = page.getByRole('dialog', { name: `Pause delivery to ${receiver.url}/hook?` });
    await pause.getByRole('button', { name: 'Pause' }).click();
    await page.locator('.delivery-outcome').filter({ hasText: `Paused: ${receiver.url}/hook.` }).waitFor();
    await webhook.locator('[data-state="paused"]').waitFor();
    expect((await hubApi('GET', `/api/webhooks/${webhookId}`, 'operator')).json.status).toBe('paused');
    await webhook.getByRole('button', { name: `Resume the webhook to ${receiver.url}/hook` }).click();
    await page.getByRole('dialog', { name: `Resume delivery to ${receiver.url}/hook?` }).getByRole('button', { name: 'Resume' }).click();
    await webhook.getByRole('button', { name: `Pause the webhook to ${receiver.url}/hook` }).waitFor();
    expect((await hubApi('GET', `/api/webhooks/${webhookId}`, 'operator')).json.status).toBe('active');

    // Cancelling changes nothing; the forward pauses too.
    await forward.getByRole('button', { name: `Pause the forward to ${receiver.url}/taxii/` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await hubApi('GET', `/api/forwards/${forwardId}`, 'operator')).json.status).toBe('active');
    await forward.getByRole('button', { name: `Pause the forward to ${receiver.url}/taxii/` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
    await forward.locator('[data-state="paused"]').waitFor();
    expect((await hubApi('GET', `/api/forwards/${forwardId}`, 'operator')).json.status).toBe('paused');
    await page.context().close();
  }, BROWSER_TEST_MS);

  test("the operator narrows the lists to one organization's", async () => {
    const page = await hub.newPage();
    await signIn(page, 'operator');
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('status').filter({ hasText: 'Deliveries shown: subscriptions 1, webhooks 1, forwards 1.' }).waitFor();
    const filter = page.getByRole('form', { name: 'Deliveries of' });
    await filter.getByLabel('Organization').selectOption('globex-hq');
    await filter.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('status').filter({ hasText: 'Deliveries shown: subscriptions 0, webhooks 0, forwards 0.' }).waitFor();
    expect(await page.locator('[data-webhook], [data-forward]').count()).toBe(0);
    await filter.getByLabel('Organization').selectOption('acme-hq');
    await filter.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('status').filter({ hasText: 'Deliveries shown: subscriptions 1, webhooks 1, forwards 1.' }).waitFor();
    await page.locator(`[data-webhook="${webhookId}"]`).waitFor();
    await page.context().close();
  }, BROWSER_TEST_MS);

  test("dave, org-admin of globex-hq, sees none of acme-hq's deliveries", async () => {
    const page = await hub.newPage();
    await signIn(page, 'dave');
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('status').filter({ hasText: 'Deliveries shown: subscriptions 0, webhooks 0, forwards 0.' }).waitFor();
    expect(await page.getByLabel('Organization').count()).toBe(0); // its own organization's only: nothing to choose
    for (const none of ['No TAXII 1.1 subscriptions.', 'No webhooks.', 'No forwards.']) await page.getByText(none, { exact: true }).waitFor();
    await page.context().close();
  }, BROWSER_TEST_MS);

  test('carol (consumer) sees the feeds and streams of what she may read, and no delivery control', async () => {
    const page = await hub.newPage();
    await signIn(page, 'carol');
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('heading', { level: 2, name: 'Sensor feeds' }).waitFor();
    await page.getByText(/shown to your organization’s org-admins and to operators only/).waitFor();
    const feeds = page.locator('table.feed-list', { hasText: 'acme-internal' });
    expect(await feeds.locator('tbody tr').count()).toBe(7);
    expect(await feeds.locator('tr[data-format="suricata"] code').innerText()).toBe(`${hub.url}/api/collections/acme-internal/feeds/suricata`);
    expect(await page.locator('tr[data-stream="acme-internal"] code').innerText()).toBe(`${hub.url}/api/collections/acme-internal/stream`);
    for (const heading of ['TAXII 1.1 subscriptions', 'Webhooks', 'TAXII 2.1 forwards']) expect(await page.getByRole('heading', { name: heading, exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Pause|Resume|Replay/ }).count()).toBe(0);
    // The feed URL shown works for her, with her credentials.
    const feed = await fetch(`${hub.url}/api/collections/acme-internal/feeds/text`, { headers: { Authorization: basic('carol') } });
    expect(feed.status).toBe(200);
    await page.context().close();
  }, BROWSER_TEST_MS);
});

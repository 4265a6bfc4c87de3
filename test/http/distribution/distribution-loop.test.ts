import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { openSse, type SseConnection } from '../hub-api/stream-sse-client';
import { demoAuth } from '../support/demo-config-hub';
import { allowLoopbackDeliveries, DELIVERY_TEST_MS, startListeningDemoHub, type ListeningDemoHub } from '../support/listening-demo-hub';

/**
 * The whole distribution loop, as users run it (issue 13): a provider (alice, ACME head office)
 * submits a C2 host name; a consumer branch (acme-east, reading as bob) receives it on every
 * channel at once — its webhook (signed), its live stream, its Suricata rules and its RPZ zone —
 * and when the provider marks the host benign (a cleaned site), every channel carries the removal.
 */

const COLLECTION = DEMO_COLLECTIONS.acmeInternal;
const HOST = 'beacon.kuro-relay-c2.net';

interface WebhookDelivery {
  readonly events: { readonly id: string; readonly operation: string; readonly object_id: string; readonly object?: Record<string, unknown> }[];
}

/** A webhook receiver that verifies every delivery's signature as a consumer would. */
async function startWebhookReceiver(secret: () => string) {
  const deliveries: WebhookDelivery[] = [];
  const refused: string[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = String(req.headers['x-hub-signature'] ?? '');
      const parts = header.split(',').map((p) => p.split('=') as [string, string]);
      const t = parts.find(([k]) => k === 't')?.[1] ?? '';
      const expected = createHmac('sha256', secret()).update(`${t}.${body}`).digest();
      const valid = parts.some(([k, v]) => k === 'v1' && v.length === expected.length * 2 && timingSafeEqual(Buffer.from(v, 'hex'), expected));
      if (!valid) {
        refused.push(header);
        res.writeHead(401).end();
        return;
      }
      deliveries.push(JSON.parse(body) as WebhookDelivery);
      res.writeHead(204).end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/hub`,
    deliveries,
    refused,
    events: () => deliveries.flatMap((d) => d.events),
    async until(predicate: () => boolean) {
      while (!predicate()) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(testEngines())('the distribution loop on %s', (engine) => {
  let hub: ListeningDemoHub;
  let url: string;

  beforeAll(async () => {
    // The operator lets ACME East's deliveries reach its own receiver (here on loopback).
    hub = await startListeningDemoHub(engine, { prepare: allowLoopbackDeliveries('acme-east'), delivery: true });
    url = hub.url;
  });
  afterAll(() => hub.close());

  const api = async (username: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { Authorization: demoAuth(username), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
  const feed = (format: string, query = '') => api('bob', 'GET', `/collections/${COLLECTION}/feeds/${format}${query}`);

  test('a C2 host reaches the webhook, the stream, the Suricata rules and the RPZ zone; marked benign, it leaves every one of them', async () => {
    let secret = '';
    const receiver = await startWebhookReceiver(() => secret);
    let stream: SseConnection | undefined;
    try {
      const registered = await api('operator', 'POST', '/webhooks', { collection: COLLECTION, url: receiver.url, organization: 'acme-east', user: 'bob' });
      expect(registered.status).toBe(201);
      secret = String(registered.json().secret);
      stream = await openSse(`${url}/api/collections/${COLLECTION}/stream`, { Authorization: demoAuth('bob') });
      expect(stream.status).toBe(200);
      const before = await feed('csv');
      expect(before.status).toBe(200);
      const cursorBefore = before.headers.get('x-feed-cursor') ?? '';
      expect(cursorBefore).not.toBe('');

      const submitted = await api('alice', 'POST', '/submissions', { collection: COLLECTION, valid_from: '2026-11-01T00:00:00Z', indicators: [{ kind: 'c2-hostname', value: HOST }] });
      expect(submitted.status).toBe(200);
      const id = String((submitted.json().indicators as { id: string }[])[0]?.id);
      expect(id).toMatch(/^indicator--/);

      // Every channel carries it.
      await receiver.until(() => receiver.events().some((e) => e.object_id === id && e.operation === 'created'));
      const created = receiver.events().find((e) => e.object_id === id);
      expect(created?.object).toMatchObject({ id, type: 'indicator' });
      await stream.waitFor((s) => s.events.some((e) => e.type === 'created' && e.data.includes(id)));
      const rules = await feed('suricata');
      expect(rules.status).toBe(200);
      expect(rules.text).toContain(HOST);
      expect(rules.text).toContain(id);
      const zone = await feed('rpz');
      expect(zone.text).toMatch(new RegExp(`^${HOST.replace(/\./g, '\\.')}\\s+(\\d+\\s+)?(IN\\s+)?CNAME\\s+\\.`, 'm'));

      const benign = await api('alice', 'POST', `/collections/${COLLECTION}/indicators/${id}/benign`, { reason: 'the site was cleaned' });
      expect(benign.status).toBe(200);

      // Every channel carries the removal.
      await receiver.until(() => receiver.events().some((e) => e.object_id === id && e.operation === 'benign'));
      await stream.waitFor((s) => s.events.some((e) => e.type === 'benign' && e.data.includes(id)));
      expect((await feed('suricata')).text).not.toContain(HOST);
      expect((await feed('rpz')).text).not.toContain(HOST);
      const delta = await feed('csv', `?since=${encodeURIComponent(cursorBefore)}`);
      expect(delta.status).toBe(200);
      // The delta since before the submission: the host was added and removed again, so it ends removed (benign).
      const lines = delta.text.split(/\r?\n/).filter((line) => line.includes(id));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.at(-1)).toMatch(/^remove\b.*benign/);
      expect(receiver.refused).toEqual([]); // every delivery's signature verified
    } finally {
      stream?.close();
      await receiver.close();
    }
  }, DELIVERY_TEST_MS);
});

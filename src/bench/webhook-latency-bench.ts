import { runDeliveryLatency, type DeliveryLatencyFigures } from './delivery-latency';

/**
 * Webhook latency (target: p99 <= 1 s): `webhooks` webhooks on the demo collection acme-internal,
 * registered by acme-hq's org-admin through the hub API, each with its own path on one loopback
 * receiver; then `writes` indicators POSTed one at a time by a provider to /api/submissions; for each
 * write and each webhook, the time from the start of the provider's POST to the receiver having the
 * event. Reports p50, p99 and max over every (write, webhook) pair. The receiver does not verify
 * signatures (the hub's cost of signing is in the figure; a receiver's is not).
 *
 * Without `url` the working tree's hub (dist/) is started on a fresh store, with the demo
 * configuration plus a delivery allow-list of 127.0.0.1/32 for acme-hq. Against a running hub
 * (`url`), acme-hq must already allow-list the receiver's address.
 */

export interface WebhookLatencyBenchOptions {
  readonly url?: string;
  readonly databaseUrl?: string;
  /** 100 by default. */
  readonly webhooks?: number;
  /** 20 by default. */
  readonly writes?: number;
}

export type WebhookLatencyFigures = DeliveryLatencyFigures;

const COLLECTION = 'acme-internal';
const ORG_ADMIN = 'alice'; // acme-hq: provider and org-admin
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`;

async function postJson(url: string, route: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: basic(ORG_ADMIN) }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function runWebhookLatencyBench(options: WebhookLatencyBenchOptions, print: (line: string) => void): Promise<WebhookLatencyFigures> {
  const webhooks = options.webhooks ?? 100;
  const writes = options.writes ?? 20;
  let collectionId = '';
  const figures = await runDeliveryLatency({
    ...(options.url !== undefined ? { url: options.url } : {}),
    ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
    allowListed: ['- { id: acme-hq, name: ACME Holdings }'],
    receive: ({ path, body, at }, arrivals, res) => {
      const payload = JSON.parse(body) as { events: { object?: { pattern?: string } }[] };
      for (const event of payload.events) {
        const ip = /'([0-9.]+)'/.exec(event.object?.pattern ?? '')?.[1];
        if (ip !== undefined && !arrivals.has(`${path} ${ip}`)) arrivals.set(`${path} ${ip}`, at);
      }
      res.writeHead(204).end();
    },
    register: async (url, base) => {
      const paths: string[] = [];
      for (let i = 0; i < webhooks; i++) {
        const hookPath = `/hook/${i}`;
        const created = await postJson(url, '/api/webhooks', { collection: COLLECTION, url: `${base}${hookPath}` });
        if (created.status !== 201) throw new Error(`registering a webhook failed: ${JSON.stringify(created.body).slice(0, 300)}`);
        paths.push(hookPath);
      }
      const collection = (await (await fetch(`${url}/api/webhooks`, { headers: { Authorization: basic(ORG_ADMIN) } })).json()) as { webhooks: { collection: string }[] };
      collectionId = collection.webhooks[0]?.collection ?? '';
      return paths;
    },
    write: async (url, ip) => {
      const answer = await postJson(url, '/api/submissions', { collection: collectionId, valid_from: '2026-02-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: ip }] });
      if (answer.status !== 200) throw new Error(`the submission was refused: ${JSON.stringify(answer.body).slice(0, 300)}`);
    },
    writes,
    recipient: 'webhook',
  });
  print(`webhook latency (${figures.engine}, ${webhooks} webhooks, ${writes} writes): p50 ${figures.p50Ms.toFixed(0)} ms, p99 ${figures.p99Ms.toFixed(0)} ms (target <= 1000 ms), max ${figures.maxMs.toFixed(0)} ms`);
  return figures;
}

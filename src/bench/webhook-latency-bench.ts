import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBenchStore, startBenchHub, type BenchHub, type BenchStore } from './bench-hub-process';

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

export interface WebhookLatencyFigures {
  readonly engine: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const COLLECTION = 'acme-internal';
const ORG_ADMIN = 'alice'; // acme-hq: provider and org-admin
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`;

/** The demo configuration with loopback allow-listed for acme-hq. */
function benchConfig(root: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-config-'));
  fs.cpSync(path.join(root, 'collections'), dir, { recursive: true });
  const file = path.join(dir, 'organizations.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const line = '- { id: acme-hq, name: ACME Holdings }';
  if (!text.includes(line)) throw new Error(`the demo configuration no longer declares "${line}"`);
  fs.writeFileSync(file, text.replace(line, '- { id: acme-hq, name: ACME Holdings, delivery_allow_list: ["127.0.0.1/32"] }'));
  return dir;
}

async function postJson(url: string, route: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: basic(ORG_ADMIN) }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function runWebhookLatencyBench(options: WebhookLatencyBenchOptions, print: (line: string) => void): Promise<WebhookLatencyFigures> {
  const webhooks = options.webhooks ?? 100;
  const writes = options.writes ?? 20;
  let store: BenchStore | undefined;
  let hub: BenchHub | undefined;
  let configDir: string | undefined;
  // Arrival times by "<path> <ip>".
  const arrivals = new Map<string, number>();
  let onArrival: () => void = () => undefined;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: { object?: { pattern?: string } }[] };
      for (const event of payload.events) {
        const ip = /'([0-9.]+)'/.exec(event.object?.pattern ?? '')?.[1];
        if (ip !== undefined && !arrivals.has(`${req.url} ${ip}`)) arrivals.set(`${req.url} ${ip}`, at);
      }
      res.writeHead(204).end();
      onArrival();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  try {
    let url = options.url;
    let engine = 'running hub';
    if (!url) {
      configDir = benchConfig(path.resolve(__dirname, '..', '..'));
      const created = await createBenchStore(options.databaseUrl);
      store = { ...created, env: { ...created.env, HUB_CONFIG: configDir } };
      hub = await startBenchHub({ store });
      url = hub.url;
      engine = hub.engine;
    }
    const paths: string[] = [];
    for (let i = 0; i < webhooks; i++) {
      const hookPath = `/hook/${i}`;
      const created = await postJson(url, '/api/webhooks', { collection: COLLECTION, url: `${base}${hookPath}` });
      if (created.status !== 201) throw new Error(`registering a webhook failed: ${JSON.stringify(created.body).slice(0, 300)}`);
      paths.push(hookPath);
    }
    const collection = (await (await fetch(`${url}/api/webhooks`, { headers: { Authorization: basic(ORG_ADMIN) } })).json()) as { webhooks: { collection: string }[] };
    const collectionId = collection.webhooks[0]?.collection ?? '';
    const latencies: number[] = [];
    for (let w = 0; w < writes; w++) {
      const ip = `198.18.${(w >> 8) & 255}.${w & 255}`;
      const started = performance.now();
      const all = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`write ${w} did not reach every webhook within 60 s`)), 60_000);
        onArrival = () => {
          if (paths.every((p) => arrivals.has(`${p} ${ip}`))) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      const answer = await postJson(url, '/api/submissions', { collection: collectionId, valid_from: '2026-02-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: ip }] });
      if (answer.status !== 200) throw new Error(`the submission was refused: ${JSON.stringify(answer.body).slice(0, 300)}`);
      onArrival();
      await all;
      for (const p of paths) latencies.push((arrivals.get(`${p} ${ip}`) ?? Infinity) - started);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(q * latencies.length) - 1))] ?? Infinity;
    const figures = { engine, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
    print(`webhook latency (${engine}, ${webhooks} webhooks, ${writes} writes): p50 ${figures.p50Ms.toFixed(0)} ms, p99 ${figures.p99Ms.toFixed(0)} ms (target <= 1000 ms), max ${figures.maxMs.toFixed(0)} ms`);
    return figures;
  } finally {
    await hub?.stop();
    await store?.drop();
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBenchStore, startBenchHub, type BenchHub, type BenchStore } from './bench-hub-process';

/**
 * Push latency (target: p99 <= 2 s): `subscriptions` TAXII 1.1 push subscriptions (two consumer
 * organizations of the demo configuration, each subscription with its own inbox path on one loopback
 * receiver), then `writes` indicators POSTed one at a time by a provider to /taxii1/inbox; for each
 * write and each subscription, the time from the start of the provider's POST to the receiver having
 * the pushed record. Reports p50, p99 and max over every (write, subscription) pair.
 *
 * Without `url` the working tree's hub (dist/) is started on a fresh store, with the demo
 * configuration plus a delivery allow-list of 127.0.0.1/32 for acme-east and acme-west. Against a
 * running hub (`url`), those organizations must already allow-list the receiver's address.
 */

export interface PushLatencyBenchOptions {
  readonly url?: string;
  readonly databaseUrl?: string;
  /** 100 by default. */
  readonly subscriptions?: number;
  /** 20 by default. */
  readonly writes?: number;
}

export interface PushLatencyFigures {
  readonly engine: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1';
const HEADERS = { 'Content-Type': 'application/xml', 'X-TAXII-Content-Type': 'urn:taxii.mitre.org:message:xml:1.1', 'X-TAXII-Services': 'urn:taxii.mitre.org:services:1.1' };
const COLLECTION = 'acme-internal';
const SUBSCRIBERS = ['carol', 'bob'] as const; // acme-west, acme-east
const PROVIDER = 'alice'; // acme-hq
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`;

function indicatorPackage(ip: string): string {
  const id = randomUUID();
  return (
    `<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2" xmlns:cybox="http://cybox.mitre.org/cybox-2" ` +
    `xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bench="https://bench.example.org/stix1" id="bench:Package-${id}" version="1.2">` +
    `<stix:Indicators><stix:Indicator xsi:type="indicator:IndicatorType" id="bench:indicator-${id}" timestamp="${new Date().toISOString()}"><indicator:Title>bench ${ip}</indicator:Title>` +
    `<indicator:Observable><cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value condition="Equals">${ip}</AddressObj:Address_Value></cybox:Properties></cybox:Object></indicator:Observable>` +
    `</stix:Indicator></stix:Indicators></stix:STIX_Package>`
  );
}

/** The demo configuration with loopback allow-listed for the subscribers' organizations. */
function benchConfig(root: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-config-'));
  fs.cpSync(path.join(root, 'collections'), dir, { recursive: true });
  const file = path.join(dir, 'organizations.yaml');
  let text = fs.readFileSync(file, 'utf8');
  for (const line of ['- { id: acme-east, name: ACME East, parent: acme-hq }', '- { id: acme-west, name: ACME West, parent: acme-hq }']) {
    if (!text.includes(line)) throw new Error(`the demo configuration no longer declares "${line}"`);
    text = text.replace(line, `${line.slice(0, -2)}, delivery_allow_list: ["127.0.0.1/32"] }`);
  }
  fs.writeFileSync(file, text);
  return dir;
}

async function post(url: string, user: string, route: string, body: string): Promise<string> {
  const response = await fetch(`${url}${route}`, { method: 'POST', headers: { ...HEADERS, Authorization: basic(user) }, body });
  return response.text();
}

export async function runPushLatencyBench(options: PushLatencyBenchOptions, print: (line: string) => void): Promise<PushLatencyFigures> {
  const subscriptions = options.subscriptions ?? 100;
  const writes = options.writes ?? 20;
  let store: BenchStore | undefined;
  let hub: BenchHub | undefined;
  let configDir: string | undefined;
  // Arrival times by "<inbox path> <ip>", and who waits for which count.
  const arrivals = new Map<string, number>();
  let onArrival: () => void = () => undefined;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      for (const match of body.matchAll(/Address_Value[^>]*>([0-9.]+)</g)) arrivals.set(`${req.url} ${match[1]}`, at);
      res.setHeader('Content-Type', 'application/xml');
      res.end(`<taxii_11:Status_Message xmlns:taxii_11="${NS}" message_id="${randomUUID()}" in_response_to="x" status_type="SUCCESS"/>`);
      onArrival();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const inbox = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
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
    for (let i = 0; i < subscriptions; i++) {
      const inboxPath = `/inbox/${i}`;
      const answer = await post(url, SUBSCRIBERS[i % SUBSCRIBERS.length] ?? 'carol', '/taxii1/collection-management',
        `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${NS}" message_id="${randomUUID()}" collection_name="${COLLECTION}" action="SUBSCRIBE">` +
          '<taxii_11:Subscription_Parameters><taxii_11:Response_Type>FULL</taxii_11:Response_Type></taxii_11:Subscription_Parameters>' +
          `<taxii_11:Push_Parameters><taxii_11:Protocol_Binding>urn:taxii.mitre.org:protocol:http:1.0</taxii_11:Protocol_Binding><taxii_11:Address>${inbox}${inboxPath}</taxii_11:Address>` +
          '<taxii_11:Message_Binding>urn:taxii.mitre.org:message:xml:1.1</taxii_11:Message_Binding></taxii_11:Push_Parameters></taxii_11:Subscription_Management_Request>');
      if (!answer.includes('status="ACTIVE"')) throw new Error(`subscribing failed: ${answer.slice(0, 300)}`);
      paths.push(inboxPath);
    }
    const latencies: number[] = [];
    for (let w = 0; w < writes; w++) {
      const ip = `198.18.${(w >> 8) & 255}.${w & 255}`;
      const started = performance.now();
      const all = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`write ${w} did not reach every subscriber within 60 s`)), 60_000);
        onArrival = () => {
          if (paths.every((p) => arrivals.has(`${p} ${ip}`))) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      const answer = await post(url, PROVIDER, '/taxii1/inbox',
        `<taxii_11:Inbox_Message xmlns:taxii_11="${NS}" message_id="${randomUUID()}"><taxii_11:Destination_Collection_Name>${COLLECTION}</taxii_11:Destination_Collection_Name>` +
          `<taxii_11:Content_Block><taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/><taxii_11:Content>${indicatorPackage(ip)}</taxii_11:Content></taxii_11:Content_Block></taxii_11:Inbox_Message>`);
      if (!answer.includes('status_type="SUCCESS"')) throw new Error(`the inbox refused the write: ${answer.slice(0, 300)}`);
      onArrival();
      await all;
      for (const p of paths) latencies.push((arrivals.get(`${p} ${ip}`) ?? Infinity) - started);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(q * latencies.length) - 1))] ?? Infinity;
    const figures = { engine, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
    print(`push latency (${engine}, ${subscriptions} subscriptions, ${writes} writes): p50 ${figures.p50Ms.toFixed(0)} ms, p99 ${figures.p99Ms.toFixed(0)} ms (target <= 2000 ms), max ${figures.maxMs.toFixed(0)} ms`);
    return figures;
  } finally {
    await hub?.stop();
    await store?.drop();
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}

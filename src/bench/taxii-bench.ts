import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { markingRefFor } from '../domain/tlp';
import type { TlpLevel } from '../domain/tenancy';
import { startBenchHub } from './bench-hub-process';

/**
 * TAXII 2.1 benchmark against a hub in its own process, on the demo configuration: ingest through
 * POST objects (bundles of 100), GET objects pages (limit 100 and 1000, 8 concurrent consumers,
 * filtered per consumer), and provider-POST to consumer-visible latency.
 */

const TAXII = 'application/taxii+json;version=2.1';
const COLLECTION = '948f89cd-d3ab-4b2e-bb60-bdffe702b793'; // demo acme-internal (vertical acme-tree)
const PROVIDERS = ['alice', 'bob'] as const; // acme-hq, acme-east
const CONSUMERS = ['alice', 'carol'] as const; // acme-hq reads its branches; acme-west reads the head office
const BUNDLE = 100;
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`;

export interface TaxiiBenchOptions {
  readonly objects: number;
  readonly databaseUrl?: string;
  readonly seconds: number;
}

function indicator(n: number, tlp: TlpLevel): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: now,
    modified: now,
    name: `bench indicator ${n}`,
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    valid_from: now,
    object_marking_refs: [markingRefFor(tlp)],
  };
}

const markingFor = (n: number): TlpLevel => (['amber', 'amber', 'green', 'amber', 'clear', 'green', 'amber', 'amber', 'green', 'amber'] as const)[n % 10] as TlpLevel;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function post(url: string, user: string, objects: unknown[]): Promise<void> {
  const response = await fetch(`${url}/demo/collections/${COLLECTION}/objects/`, {
    method: 'POST',
    headers: { authorization: basic(user), accept: TAXII, 'content-type': TAXII },
    body: JSON.stringify({ objects }),
  });
  const status = (await response.json()) as { failure_count?: number; failures?: unknown[] };
  if (response.status !== 202 || status.failure_count) throw new Error(`POST answered ${response.status}: ${JSON.stringify(status).slice(0, 300)}`);
}

async function ingest(url: string, total: number, print: (l: string) => void): Promise<number> {
  const bundles = Math.ceil(total / BUNDLE);
  let next = 0;
  let done = 0;
  const started = performance.now();
  const worker = async (w: number) => {
    for (let b = next++; b < bundles; b = next++) {
      const objects = Array.from({ length: Math.min(BUNDLE, total - b * BUNDLE) }, (_, i) => indicator(b * BUNDLE + i, markingFor(b * BUNDLE + i)));
      await post(url, PROVIDERS[w % PROVIDERS.length] as string, objects);
      done += objects.length;
      if (done % 20_000 < BUNDLE) print(`  ingested ${done.toLocaleString('en-US')} objects`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, (_, w) => worker(w)));
  return total / ((performance.now() - started) / 1000);
}

interface PageStats {
  readonly pagesPerSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/** 8 consumers walk the collection page by page (following `next`, starting over at the end) for `seconds`. */
async function pages(url: string, limit: number, seconds: number): Promise<PageStats> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const client = async (c: number) => {
    const user = CONSUMERS[c % CONSUMERS.length] as string;
    let next: string | undefined;
    while (performance.now() < deadline) {
      const query = next ? `next=${encodeURIComponent(next)}` : `limit=${limit}`;
      const started = performance.now();
      const response = await fetch(`${url}/demo/collections/${COLLECTION}/objects/?${query}`, { headers: { authorization: basic(user), accept: TAXII } });
      const body = (await response.json()) as { more?: boolean; next?: string };
      latencies.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`GET objects answered ${response.status}`);
      next = body.more ? body.next : undefined;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 8 }, (_, c) => client(c)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { pagesPerSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** A provider posts one object every 50 ms; a consumer polls with added_after and notes when each appears. */
async function visibility(url: string, count: number): Promise<{ p50: number; p99: number }> {
  const sentAt = new Map<string, number>();
  const seenAfter: number[] = [];
  // Start polling from now: everything loaded before is older (same machine, same clock).
  let addedAfter: string | undefined = new Date().toISOString();
  let posting = true;
  const poller = (async () => {
    while (posting || seenAfter.length < sentAt.size) {
      const query = addedAfter ? `?added_after=${encodeURIComponent(addedAfter)}` : '';
      const response = await fetch(`${url}/demo/collections/${COLLECTION}/objects/${query}`, { headers: { authorization: basic('alice'), accept: TAXII } });
      const body = (await response.json()) as { objects?: { id: string }[] };
      addedAfter = response.headers.get('x-taxii-date-added-last') ?? addedAfter;
      const now = performance.now();
      for (const object of body.objects ?? []) {
        const sent = sentAt.get(object.id);
        if (sent !== undefined) seenAfter.push(now - sent);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  for (let i = 0; i < count; i++) {
    const object = indicator(9_000_000 + i, 'amber');
    sentAt.set(object.id as string, performance.now());
    await post(url, 'bob', [object]);
    await new Promise((r) => setTimeout(r, 50));
  }
  posting = false;
  await poller;
  seenAfter.sort((a, b) => a - b);
  return { p50: percentile(seenAfter, 50), p99: percentile(seenAfter, 99) };
}

export async function runTaxiiBench(options: TaxiiBenchOptions, print: (line: string) => void): Promise<void> {
  const hub = await startBenchHub({ databaseUrl: options.databaseUrl });
  try {
    print(`taxii: hub on ${hub.engine} at ${hub.url}; loading ${options.objects.toLocaleString('en-US')} objects in bundles of ${BUNDLE}`);
    const ingestRate = await ingest(hub.url, options.objects, print);
    const page100 = await pages(hub.url, 100, options.seconds);
    const page1000 = await pages(hub.url, 1000, options.seconds);
    const visible = await visibility(hub.url, 100);
    const row = (what: string, figure: string, target: string) => print(`| ${what.padEnd(44)} | ${figure.padEnd(28)} | ${target.padEnd(16)} |`);
    print('');
    print(`TAXII 2.1 on ${hub.engine}, ${options.objects.toLocaleString('en-US')} objects`);
    row('measure', 'figure', 'target (PG, 1M)');
    row('-'.repeat(44), '-'.repeat(28), '-'.repeat(16));
    row('ingest through POST (bundles of 100)', `${Math.round(ingestRate).toLocaleString('en-US')} objects/s`, '>= 10,000/s');
    row('GET objects limit=100, 8 clients', `${Math.round(page100.pagesPerSecond)} pages/s p50 ${page100.p50.toFixed(1)} ms p99 ${page100.p99.toFixed(1)} ms`, '>= 2,000/s, p99 <= 50 ms');
    row('GET objects limit=1000, 8 clients', `${Math.round(page1000.pagesPerSecond)} pages/s p50 ${page1000.p50.toFixed(1)} ms p99 ${page1000.p99.toFixed(1)} ms`, '');
    row('provider POST -> consumer sees it', `p50 ${visible.p50.toFixed(0)} ms p99 ${visible.p99.toFixed(0)} ms`, 'p99 <= 1 s');
  } finally {
    await hub.stop();
  }
}

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { markingRefFor } from '../domain/tlp';
import type { TlpLevel } from '../domain/tenancy';
import { buildBaseline, type BaselineBuild } from './baseline-build';
import { roundOrder } from './bench-options';
import { CURRENT_BUILD, createBenchStore, startBenchHub, type BenchHub, type HubBuild } from './bench-hub-process';
import { evaluate, medianFigures, renderTable, type Engine, type Figure, type Metric } from './bench-targets';
import { describeMemory, megabytes, readTreeMemory, sampleTreeMemory, summarizeReading, type MemorySummary } from './process-memory';

/**
 * TAXII 2.1 benchmark against a hub in its own process, on the demo configuration: ingest through
 * POST objects (bundles of 100), GET objects pages (limit 100 and 1000, 8 concurrent consumers,
 * filtered per consumer), provider-POST to consumer-visible latency, and the hub's resident memory
 * (at rest after loading, and sampled every 100 ms while serving pages). Optionally at two sizes
 * (loading on from the first to the second), with several worker counts (the hub restarted on the
 * same store), and against a baseline hub built from a git ref (on its own fresh store, one hub
 * after the other, the order alternating over rounds). Ends with one table of every figure against
 * the target that applies.
 */

const TAXII = 'application/taxii+json;version=2.1';
const COLLECTION = '948f89cd-d3ab-4b2e-bb60-bdffe702b793'; // demo acme-internal (vertical acme-tree)
const PROVIDERS = ['alice', 'bob'] as const; // acme-hq, acme-east
const CONSUMERS = ['alice', 'carol'] as const; // acme-hq reads its branches; acme-west reads the head office
const BUNDLE = 100;
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`;

export interface TaxiiBenchOptions {
  /** Ascending; the page benchmarks run at each. */
  readonly sizes: readonly number[];
  readonly databaseUrl?: string;
  readonly seconds: number;
  readonly baseline?: string;
  readonly rounds: number;
  /** The first is the count ingest runs with. */
  readonly workers: readonly number[];
}

/** How long the hub is left alone after loading before its memory "at rest" is read. */
const REST_IDLE_MS = 2000;

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

/** Loads `total` objects numbered from `from` (so that patterns differ between loads); answers objects/s. */
export async function ingest(url: string, from: number, total: number, print: (l: string) => void): Promise<number> {
  const bundles = Math.ceil(total / BUNDLE);
  const every = total > 200_000 ? 100_000 : 20_000;
  let next = 0;
  let done = 0;
  const started = performance.now();
  const worker = async (w: number) => {
    for (let b = next++; b < bundles; b = next++) {
      const objects = Array.from({ length: Math.min(BUNDLE, total - b * BUNDLE) }, (_, i) => indicator(from + b * BUNDLE + i, markingFor(from + b * BUNDLE + i)));
      await post(url, PROVIDERS[w % PROVIDERS.length] as string, objects);
      done += objects.length;
      if (done % every < BUNDLE) print(`    ingested ${(from + done).toLocaleString('en-US')} objects`);
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
      const query: string = addedAfter ? `?added_after=${encodeURIComponent(addedAfter)}` : '';
      const response: Response = await fetch(`${url}/demo/collections/${COLLECTION}/objects/${query}`, { headers: { authorization: basic('alice'), accept: TAXII } });
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

interface Phase {
  readonly size: number;
  readonly workers: number;
  /** objects/s loading up to `size` (from the previous size); only in the phase that loaded. */
  readonly ingest?: number;
  readonly rest: MemorySummary;
  readonly serving: MemorySummary;
  readonly page100: PageStats;
  readonly page1000: PageStats;
}

interface VariantRun {
  readonly engine: Engine;
  readonly phases: readonly Phase[];
  readonly visibility: { readonly size: number; readonly workers: number; readonly p50: number; readonly p99: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (n: number) => n.toLocaleString('en-US');
const pageLine = (p: PageStats) => `${Math.round(p.pagesPerSecond)} pages/s p50 ${p.p50.toFixed(1)} ms p99 ${p.p99.toFixed(1)} ms`;

/**
 * One hub build on one fresh store: for each size, load up to it with the first worker count, rest,
 * read memory, run the page benchmarks while sampling memory; then, for each further worker count,
 * restart the hub on the same store and do the same without loading. Visibility once, at the last size.
 */
async function runVariant(build: HubBuild, options: TaxiiBenchOptions, print: (line: string) => void): Promise<VariantRun> {
  const store = await createBenchStore(options.databaseUrl);
  let hub: BenchHub | undefined;
  try {
    print(`  ${build.name} on ${store.engine}`);
    const phases: Phase[] = [];
    let visibilityFigures: VariantRun['visibility'] | undefined;
    let loaded = 0;
    for (const [s, size] of options.sizes.entries()) {
      for (const [w, workers] of options.workers.entries()) {
        if (hub?.workers !== workers) {
          await hub?.stop();
          hub = await startBenchHub({ store, build, workers });
          print(`    hub started, WORKERS=${workers}, pid ${hub.pid}`);
        }
        let ingestRate: number | undefined;
        if (w === 0 && size > loaded) {
          ingestRate = await ingest(hub.url, loaded, size - loaded, print);
          print(`    loaded ${count(size)} objects: ${count(Math.round(ingestRate))} objects/s from ${count(loaded)}`);
          loaded = size;
        }
        await sleep(REST_IDLE_MS);
        const rest = summarizeReading(readTreeMemory(hub.pid));
        const sampler = sampleTreeMemory(hub.pid, 100);
        let serving: MemorySummary;
        let page100: PageStats;
        let page1000: PageStats;
        try {
          page100 = await pages(hub.url, 100, options.seconds);
          page1000 = await pages(hub.url, 1000, options.seconds);
        } finally {
          serving = sampler.stop();
        }
        print(`    ${count(size)} objects, ${workers} worker${workers === 1 ? '' : 's'}: GET limit=100 ${pageLine(page100)}; limit=1000 ${pageLine(page1000)}`);
        print(`      memory at rest: ${describeMemory(rest)}`);
        print(`      memory serving: max ${describeMemory(serving)}; ${serving.samples} samples`);
        phases.push({ size, workers, ...(ingestRate !== undefined ? { ingest: ingestRate } : {}), rest, serving, page100, page1000 });
        if (s === options.sizes.length - 1 && w === 0) {
          const v = await visibility(hub.url, 100);
          visibilityFigures = { size, workers, ...v };
          print(`    provider POST -> consumer sees it: p50 ${v.p50.toFixed(0)} ms p99 ${v.p99.toFixed(0)} ms`);
        }
      }
    }
    return { engine: store.engine, phases, visibility: visibilityFigures as VariantRun['visibility'] };
  } finally {
    await hub?.stop();
    await store.drop();
  }
}

const ORDER: readonly Metric[] = [
  'ingest',
  'page100.rate',
  'page100.p50',
  'page100.p99',
  'page100.size-ratio',
  'page100.workers-ratio',
  'page1000.rate',
  'page1000.p50',
  'page1000.p99',
  'visibility.p50',
  'visibility.p99',
  'rss.rest.total',
  'rss.rest.process',
  'rss.serving.total',
  'rss.serving.process',
  'rss.serving.peak',
];

/** A run's figures, ordered by measure, then size, then worker count. */
function figuresOf(run: VariantRun): Figure[] {
  const figures: Figure[] = [];
  for (const p of run.phases) {
    const at = (metric: Metric, value: number) => figures.push({ metric, size: p.size, workers: p.workers, value });
    if (p.ingest !== undefined) at('ingest', p.ingest);
    at('page100.rate', p.page100.pagesPerSecond);
    at('page100.p50', p.page100.p50);
    at('page100.p99', p.page100.p99);
    at('page1000.rate', p.page1000.pagesPerSecond);
    at('page1000.p50', p.page1000.p50);
    at('page1000.p99', p.page1000.p99);
    at('rss.rest.total', megabytes(p.rest.totalRssBytes));
    at('rss.rest.process', megabytes(p.rest.maxProcessRssBytes));
    at('rss.serving.total', megabytes(p.serving.totalRssBytes));
    at('rss.serving.process', megabytes(p.serving.maxProcessRssBytes));
    at('rss.serving.peak', megabytes(p.serving.totalHwmBytes));
  }
  const sizes = [...new Set(run.phases.map((p) => p.size))];
  const workerCounts = [...new Set(run.phases.map((p) => p.workers))];
  const phase = (size: number, workers: number) => run.phases.find((p) => p.size === size && p.workers === workers) as Phase;
  if (sizes.length === 2) {
    const [small, large] = sizes as [number, number];
    for (const workers of workerCounts) {
      const value = phase(small, workers).page100.pagesPerSecond / phase(large, workers).page100.pagesPerSecond;
      figures.push({ metric: 'page100.size-ratio', size: large, workers, compared: [small, large], value });
    }
  }
  if (workerCounts.length === 2) {
    const [one, more] = workerCounts as [number, number];
    for (const size of sizes) {
      const value = phase(size, more).page100.pagesPerSecond / phase(size, one).page100.pagesPerSecond;
      figures.push({ metric: 'page100.workers-ratio', size, workers: more, compared: [one, more], value });
    }
  }
  figures.push({ metric: 'visibility.p50', size: run.visibility.size, workers: run.visibility.workers, value: run.visibility.p50 });
  figures.push({ metric: 'visibility.p99', size: run.visibility.size, workers: run.visibility.workers, value: run.visibility.p99 });
  const rank = (f: Figure) => ORDER.indexOf(f.metric);
  return figures.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.f.size - b.f.size || a.f.workers - b.f.workers || a.i - b.i).map(({ f }) => f);
}

export async function runTaxiiBench(options: TaxiiBenchOptions, print: (line: string) => void): Promise<void> {
  const engineName = options.databaseUrl ? 'PostgreSQL' : 'PGlite';
  let baseline: BaselineBuild | undefined;
  try {
    if (options.baseline !== undefined) baseline = buildBaseline(options.baseline, CURRENT_BUILD.root, print);
    print(
      `taxii: ${engineName}, ${options.sizes.map(count).join(' then ')} objects in bundles of ${BUNDLE}, page benchmarks ${options.seconds} s each, ` +
        `WORKERS=${options.workers.join(' then ')}${baseline ? `, against ${baseline.name}, ${options.rounds} round${options.rounds === 1 ? '' : 's'}` : ''}`,
    );
    const currentRuns: Figure[][] = [];
    const baselineRuns: Figure[][] = [];
    let engine: Engine = options.databaseUrl ? 'postgres' : 'pglite';
    for (let round = 0; round < options.rounds; round++) {
      if (options.rounds > 1) print(`round ${round + 1} of ${options.rounds}`);
      for (const which of baseline ? roundOrder(round) : (['current'] as const)) {
        const run = await runVariant(which === 'current' ? CURRENT_BUILD : (baseline as BaselineBuild), options, print);
        engine = run.engine;
        (which === 'current' ? currentRuns : baselineRuns).push(figuresOf(run));
      }
    }
    const rows = evaluate(engine, medianFigures(currentRuns), baseline ? medianFigures(baselineRuns) : undefined);
    print('');
    print(
      `TAXII 2.1 on ${engineName}, ${options.sizes.map(count).join(' and ')} objects${baseline ? `: current = working tree, baseline = ${baseline.name}` : ''}` +
        `${options.rounds > 1 ? `, medians of ${options.rounds} rounds` : ''} (figures from a shared machine are noisy)`,
    );
    for (const line of renderTable(rows, baseline !== undefined)) print(line);
  } finally {
    baseline?.remove();
  }
}

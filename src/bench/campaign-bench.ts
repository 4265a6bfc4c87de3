import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Principal } from '../domain/principal';
import type { IndicatorInput } from '../domain/indicators/indicator-kinds';
import { campaignOf, campaignWaveItems, singletonItem, SOURCES, SUBMITTERS } from './analysis-dataset';
import { analysisBenchBase, count, load } from './analysis-bench-setup';
import { analysisTarget, percentile } from './analysis-figures';
import { megabytes, retainedHeapBytes } from './process-memory';

/**
 * Campaign grouping keeping up with ingest (issue 15 §2; target: a submission joins its candidate
 * within 1 s at 10,000 indicators/s, on PostgreSQL). Over the analysis dataset (default 1,000,000
 * indicators, loaded as the hub stores submissions), the composed hub listening on loopback in this
 * process, its indexer started as `serve` starts it:
 * 1. ingest alone: unified submissions of 1,000 new indicators over HTTP, 2 clients, as fast as
 *    they go, the indexer stopped (the write path keys what it stores all the same); then the same
 *    with the indexer and the early-warning listeners running (what they cost ingest);
 * 2. paced ingest, 1,000 indicators every 100 ms (10,000/s when the hub keeps up), every 3rd
 *    submission carrying a new wave of a recent campaign (its sender IPs, From addresses, C2 hosts
 *    reused, new URLs on its hosts); an analyst polls the candidate service's list as the operator
 *    meanwhile, one call after another, and for each joining submission the time from its answer
 *    (the commit) to the first list showing one of its new indicators as a member of a candidate
 *    is taken.
 */

export interface CampaignBenchOptions {
  readonly databaseUrl?: string;
  /** Default 1,000,000 on PostgreSQL, 100,000 on PGlite (or CAMPAIGN_BENCH_INDICATORS). */
  readonly indicators?: number;
  /** Seconds of each phase (default 20, or CAMPAIGN_BENCH_SECONDS). */
  readonly seconds?: number;
}

const OPERATOR: Principal = { userId: 'operator', username: 'operator', organizationId: 'hub-ops', roles: new Set(['operator']), via: 'local' };
const PER_SUBMISSION = 1_000;
const PACE_MS = 100;
const JOIN_EVERY = 3;

interface Submitted {
  /** The indicators created, with their place in the submission. */
  readonly created: { id: string; collection: string; index: number }[];
  readonly ms: number;
}

export async function runCampaignBench(options: CampaignBenchOptions, print: (line: string) => void): Promise<void> {
  const seconds = options.seconds ?? Number(process.env.CAMPAIGN_BENCH_SECONDS ?? 20);
  const engine = options.databaseUrl !== undefined || process.env.ANALYSIS_BENCH_REUSE ? 'postgres' : 'pglite';
  const indicators = options.indicators ?? Number(process.env.CAMPAIGN_BENCH_INDICATORS ?? (engine === 'postgres' ? 1_000_000 : 100_000));
  print(`Campaign candidates keeping up with ingest — ${engine}, ${count(indicators)} indicators; load average ${load()}`);
  const base = await analysisBenchBase(options.databaseUrl, 'taxii_hub_campaign_bench', indicators, print);
  let server: Server | undefined;
  const { hub, dataset } = base;
  try {
    server = hub.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    const pairs = SOURCES.flatMap((s) => s.providers.map((provider) => ({ collection: s.collection, provider })));
    const run = Math.floor(Date.now() / 1000) % 100_000;
    let next = 300_000_000 + run * 1_000; // fresh singleton values every run
    let submissions = 0;
    const submit = async (collection: string, provider: string, items: readonly IndicatorInput[], campaign?: string): Promise<Submitted> => {
      const user = SUBMITTERS[provider] as string;
      const started = performance.now();
      const res = await fetch(`${url}/api/submissions`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ collection, valid_from: new Date().toISOString(), ...(campaign !== undefined ? { campaign } : {}), indicators: items }),
      });
      const text = await res.text();
      const ms = performance.now() - started;
      if (!res.ok) throw new Error(`POST /api/submissions answered ${res.status}: ${text.slice(0, 300)}`);
      submissions++;
      const answer = JSON.parse(text) as { indicators: { outcome: string; id?: string }[] };
      return { created: answer.indicators.flatMap((i, index) => (i.outcome === 'created' && i.id !== undefined ? [{ id: i.id, collection, index }] : [])), ms };
    };
    const filler = (n: number) => Array.from({ length: n }, () => singletonItem(next++));
    const pair = () => pairs[submissions % pairs.length] as { collection: string; provider: string };

    // 1. Ingest as fast as two clients go, without and with the indexer.
    const flat = async (label: string): Promise<number> => {
      const until = performance.now() + seconds * 1000;
      let written = 0;
      const client = async () => {
        while (performance.now() < until) {
          const p = pair();
          await submit(p.collection, p.provider, filler(PER_SUBMISSION));
          written += PER_SUBMISSION;
        }
      };
      const started = performance.now();
      await Promise.all([client(), client()]);
      const rate = written / ((performance.now() - started) / 1000);
      print(`  ingest, ${label}: ${count(rate)} indicators/s (submissions of ${count(PER_SUBMISSION)}, 2 clients, ${seconds} s); load average ${load()}`);
      return rate;
    };
    const plain = await flat('indexer stopped (indicators keyed as written)');
    await hub.analysis.indexer.catchUp();
    hub.analysis.indexer.start();
    const indexed = await flat('indexer and early warning running');
    print(`    with the indexer / without: ${(indexed / plain).toFixed(2)}x`);
    await hub.analysis.indexer.catchUp();

    // 2. Paced ingest with joining waves, and an analyst polling the candidates (the first list builds
    // the shared-key graph and the operator's clusters, as an analyst's first look does; it is timed alone).
    const firstAsked = performance.now();
    await hub.analysis.campaigns.list(OPERATOR, { status: 'all' });
    print(`  first list of candidates (builds the shared-key graph and the operator's clusters): ${count(performance.now() - firstAsked)} ms; load average ${load()}`);
    print(`    heap held after it (a full collection first): ${count(megabytes(retainedHeapBytes()))} MiB`);
    const recent = Array.from({ length: dataset.campaigns }, (_, n) => campaignOf(n, dataset.startMillis)).filter((c) => c.startMillis > dataset.endMillis - 20 * 86_400_000 && c.startMillis < dataset.endMillis - 11 * 86_400_000);
    const pending = new Map<number, { refs: Set<string>; committed: number }>();
    const joins: number[] = [];
    // When the early-warning listeners heard each batch (per collection, through which date_added).
    const keyedBatches: { collectionId: string; through: number; at: number }[] = [];
    const unsubscribe = hub.analysis.indexer.onIndexed((batch) => {
      keyedBatches.push({ collectionId: batch.collectionId, through: Math.max(...batch.versions.map((v) => v.dateAdded)), at: performance.now() });
    });
    const keyedJoins: { collectionId: string; dateAdded: number; committed: number }[] = [];
    const listTimes: number[] = [];
    const catchUpTimes: number[] = [];
    let paced = 0;
    let joinsSent = 0;
    let stop = false;
    const observer = (async () => {
      while (!stop || pending.size > 0) {
        const asked = performance.now();
        // The list's first step, timed alone: waiting for an indexer pass that starts after the call.
        await hub.analysis.indexer.catchUp();
        catchUpTimes.push(performance.now() - asked);
        const candidates = await hub.analysis.campaigns.list(OPERATOR, { status: 'all' });
        const answered = performance.now();
        listTimes.push(answered - asked);
        const members = new Set(candidates.flatMap((c) => c.members.map((m) => `${m.collectionId}/${m.id}`)));
        for (const [n, join] of pending) {
          // Seen by a list that started after the commit.
          if (asked >= join.committed && [...join.refs].some((r) => members.has(r))) {
            joins.push(answered - join.committed);
            pending.delete(n);
          } else if (stop && answered - join.committed > 30_000) pending.delete(n);
        }
      }
    })();
    const started = performance.now();
    const inflight = new Set<Promise<void>>();
    for (let tick = 0; performance.now() - started < seconds * 1000; tick++) {
      const due = started + tick * PACE_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      while (inflight.size >= 4) await Promise.race(inflight);
      const joining = tick % JOIN_EVERY === JOIN_EVERY - 1 && recent.length > 0;
      const job = (async () => {
        if (!joining) {
          const p = pair();
          await submit(p.collection, p.provider, filler(PER_SUBMISSION));
        } else {
          const c = recent[joinsSent++ % recent.length] as (typeof recent)[number];
          const source = SOURCES[c.collections[0] as number] as (typeof SOURCES)[number];
          const provider = source.providers[joinsSent % source.providers.length] as string;
          // A wave new to this run (a reused database holds earlier runs' waves), of which only the wave's own new indicators are looked for.
          const wave = campaignWaveItems(c, c.waves + 1 + run * 100 + Math.floor(joinsSent / recent.length));
          const answer = await submit(source.collection, provider, [...wave, ...filler(PER_SUBMISSION - wave.length)]);
          const waveRefs = new Set(answer.created.filter((x) => x.index < wave.length).map((x) => `${x.collection}/${x.id}`));
          if (waveRefs.size > 0) {
            const committed = performance.now();
            pending.set(tick, { refs: waveRefs, committed });
            const last = await base.db.query<{ d: string }>('SELECT max(date_added) AS d FROM stix_objects WHERE collection_id = $1 AND id = ANY($2::text[])', [source.collection, answer.created.map((x) => x.id)]);
            keyedJoins.push({ collectionId: source.collection, dateAdded: Number(last.rows[0]?.d ?? 0), committed });
          }
        }
        paced += PER_SUBMISSION;
      })();
      inflight.add(job);
      void job.finally(() => inflight.delete(job));
    }
    await Promise.all(inflight);
    const pacedRate = paced / ((performance.now() - started) / 1000);
    stop = true;
    await observer;
    print(`  paced ingest (1,000 indicators every 100 ms, up to 4 in flight): ${count(pacedRate)} indicators/s achieved over ${seconds} s; load average ${load()}`);
    print(`    list of candidates (operator, every collection), one call after another: ${listTimes.length} calls, p50 ${percentile(listTimes, 0.5).toFixed(0)} ms, p95 ${percentile(listTimes, 0.95).toFixed(0)} ms, max ${Math.max(...listTimes).toFixed(0)} ms; of which the indexer's catch-up p50 ${percentile(catchUpTimes, 0.5).toFixed(0)} ms, p95 ${percentile(catchUpTimes, 0.95).toFixed(0)} ms`);
    const memory = process.memoryUsage();
    print(`    memory of the process holding the hub and its shared-key graph: RSS ${count(memory.rss / 1_048_576)} MiB, heap used ${count(memory.heapUsed / 1_048_576)} MiB, of which held after a full collection ${count(megabytes(retainedHeapBytes()))} MiB`);
    unsubscribe();
    const lags = keyedJoins.flatMap((j) => {
      const keyed = keyedBatches.find((b) => b.collectionId === j.collectionId && b.through >= j.dateAdded);
      return keyed !== undefined ? [Math.max(0, keyed.at - j.committed)] : [];
    });
    print(`    joining submissions heard by the early-warning listeners (onIndexed) after the commit: ${lags.length} of ${keyedJoins.length}, p50 ${percentile(lags, 0.5).toFixed(0)} ms, max ${(lags.length > 0 ? Math.max(...lags) : 0).toFixed(0)} ms`);
    const max = joins.length > 0 ? Math.max(...joins) : Number.POSITIVE_INFINITY;
    print(
      `    joining submissions: ${joins.length} of ${joinsSent} seen as candidate members; commit -> in the list: p50 ${percentile(joins, 0.5).toFixed(0)} ms, p95 ${percentile(joins, 0.95).toFixed(0)} ms, max ${max.toFixed(0)} ms` +
        analysisTarget('campaign.join.max', engine, indicators, max) +
        (pacedRate < 9_000 ? ` (the hub took ${count(pacedRate)} indicators/s, not 10,000: the target's rate was not reached)` : ''),
    );
  } finally {
    await hub.analysis.indexer.stop();
    if (server !== undefined) await new Promise((resolve) => server?.close(resolve));
    await base.close();
  }
}

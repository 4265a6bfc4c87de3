import { performance } from 'node:perf_hooks';
import type { Principal } from '../domain/principal';
import type { PivotQuery } from '../services/analysis/pivot/pivot-query';
import { ANALYSIS_COLLECTIONS, campaignOf, POPULAR, singletonItem } from './analysis-dataset';
import { analysisBenchBase, count, load } from './analysis-bench-setup';
import { analysisTarget, percentile } from './analysis-figures';
import { seededRandom } from './seeded-random';

/**
 * The pivot (issue 15 §1; target: p99 <= 50 ms at depth 2 over 1,000,000 indicators on PostgreSQL).
 * The analysis dataset (analysis-dataset.ts: spear-phishing campaigns reusing their infrastructure
 * across providers and collections, CIDRs, popular shared values, bulk feeds of singletons) loaded
 * as the hub stores submissions (analysis-loader.ts), the indexer's first pass over it timed, then
 * pivots in the service (no HTTP) from random start values and objects, at depth 1 and 2, as the
 * operator (every collection) and as a restricted consumer (carol: ACME West, consumer of
 * acme-internal only), one after another.
 */

export interface PivotBenchOptions {
  readonly databaseUrl?: string;
  /** Default 1,000,000 on PostgreSQL, 100,000 on PGlite (or PIVOT_BENCH_INDICATORS). */
  readonly indicators?: number;
  /** Pivots per series (default 2,000, or PIVOT_BENCH_PIVOTS). */
  readonly pivots?: number;
}

const OPERATOR: Principal = { userId: 'operator', username: 'operator', organizationId: 'hub-ops', roles: new Set(['operator']), via: 'local' };
const CAROL: Principal = { userId: 'carol', username: 'carol', organizationId: 'acme-west', roles: new Set(['consumer']), via: 'local' };

/** Start values from the dataset: campaign infrastructure of every kind, singletons, the popular values, a sender network. */
function startValues(random: () => number, campaigns: number, singletons: number, startMillis: number, n: number, onlyCollection?: string): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const roll = random();
    if (roll < 0.02) out.push(Object.values(POPULAR)[Math.floor(random() * 3)] as string);
    else if (roll < 0.25) out.push(singletonItem(Math.floor(random() * singletons)).value);
    else {
      const c = campaignOf(Math.floor(random() * campaigns), startMillis);
      if (onlyCollection !== undefined && !c.collections.some((i) => Object.values(ANALYSIS_COLLECTIONS)[i] === onlyCollection)) continue;
      const choices = [c.senderIps, c.fromAddresses, c.subjects, c.attachments, c.c2Hosts, c.c2Ips, [c.senderNetwork, c.payload, `https://${c.c2Hosts[0]}/panel/login.php`]];
      const list = choices[Math.floor(random() * choices.length)] as readonly string[];
      out.push(list[Math.floor(random() * list.length)] as string);
    }
  }
  return out;
}

interface Series {
  readonly times: number[];
  readonly nodes: number[];
  /** The slowest starts, slowest first (SLOWEST of them). */
  readonly slowest: { ms: number; nodes: number; query: PivotQuery }[];
  truncated: number;
  failed: number;
}

/** How many of the slowest starts each series prints (PIVOT_BENCH_SLOWEST, default 5): the ones to EXPLAIN. */
const SLOWEST = Number(process.env.PIVOT_BENCH_SLOWEST ?? 5);

async function series(pivot: (query: PivotQuery) => Promise<{ nodes: readonly unknown[]; truncatedAtHop?: number }>, queries: readonly PivotQuery[]): Promise<Series> {
  const s: Series = { times: [], nodes: [], slowest: [], truncated: 0, failed: 0 };
  for (const query of queries) {
    const started = performance.now();
    try {
      const answer = await pivot(query);
      const ms = performance.now() - started;
      s.times.push(ms);
      s.nodes.push(answer.nodes.length);
      if (SLOWEST > 0 && (s.slowest.length < SLOWEST || ms > (s.slowest.at(-1)?.ms ?? 0))) {
        s.slowest.push({ ms, nodes: answer.nodes.length, query });
        s.slowest.sort((a, b) => b.ms - a.ms).splice(SLOWEST);
      }
      if (answer.truncatedAtHop !== undefined) s.truncated++;
    } catch {
      s.failed++;
    }
  }
  return s;
}

export async function runPivotBench(options: PivotBenchOptions, print: (line: string) => void): Promise<void> {
  const pivots = options.pivots ?? Number(process.env.PIVOT_BENCH_PIVOTS ?? 2_000);
  const engine = options.databaseUrl !== undefined || process.env.ANALYSIS_BENCH_REUSE ? 'postgres' : 'pglite';
  const indicators = options.indicators ?? Number(process.env.PIVOT_BENCH_INDICATORS ?? (engine === 'postgres' ? 1_000_000 : 100_000));
  print(`Pivot — ${engine}, ${count(indicators)} indicators; load average ${load()}`);
  const base = await analysisBenchBase(options.databaseUrl, 'taxii_hub_pivot_bench', indicators, print);
  try {
    const { db, hub, dataset } = base;
    const random = seededRandom(2015);
    const singletons = Math.max(1, dataset.items - Math.round(dataset.items * 0.55));
    const sample = async (collection: string | undefined, n: number) =>
      (await db.query<{ id: string }>(
        // REPEATABLE: the same object starts on the same database, run after run (a fix is compared on the same starts).
        `SELECT id FROM stix_objects TABLESAMPLE SYSTEM (5) REPEATABLE (2015) WHERE is_head AND type IN ('indicator', 'campaign') ${collection !== undefined ? 'AND collection_id = $2' : 'AND $2::text IS NULL'} LIMIT $1`,
        [n, collection ?? null],
      )).rows.map((r) => r.id);
    const mixed = async (n: number, collection?: string): Promise<PivotQuery[]> => {
      const values = startValues(random, dataset.campaigns, singletons, dataset.startMillis, Math.round(n * 0.7), collection);
      const objects = await sample(collection, n - values.length);
      const queries: PivotQuery[] = [...values.map((value) => ({ value })), ...objects.map((object) => ({ object }))];
      return queries.sort(() => random() - 0.5);
    };
    const asOperator = await mixed(pivots);
    const asCarol = await mixed(Math.round(pivots / 2), ANALYSIS_COLLECTIONS.acmeInternal);
    print(`  pivots in the service, one at a time: ${count(asOperator.length)} starts as the operator (70% values: campaign infrastructure, singletons, popular values; 30% indicator and campaign ids), ${count(asCarol.length)} as carol (values and objects of acme-internal)`);
    // Warm-up: plans cached, policy compiled.
    await series((q) => hub.analysis.pivot.pivot(OPERATOR, q), asOperator.slice(0, 50).map((q) => ({ ...q, depth: 2 })));
    for (const [who, name, queries] of [[OPERATOR, 'operator', asOperator], [CAROL, 'carol (restricted consumer)', asCarol]] as const) {
      for (const depth of [1, 2]) {
        const s = await series((q) => hub.analysis.pivot.pivot(who, q), queries.map((q) => ({ ...q, depth })));
        const p99 = percentile(s.times, 0.99);
        const target = depth === 2 ? analysisTarget('pivot.depth2.p99', engine, indicators, p99) : '';
        print(
          `  depth ${depth}, ${name}: p50 ${percentile(s.times, 0.5).toFixed(1)} ms, p95 ${percentile(s.times, 0.95).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...s.times).toFixed(0)} ms; ` +
            `nodes median ${percentile(s.nodes, 0.5)}, p99 ${percentile(s.nodes, 0.99)}; ${s.truncated} truncated at the node bound, ${s.failed} refused${target}; load average ${load()}`,
        );
        for (const slow of s.slowest) print(`    slow: ${slow.ms.toFixed(0)} ms, ${slow.nodes} nodes: ${JSON.stringify(slow.query)}`);
      }
    }
  } finally {
    await base.close();
  }
}

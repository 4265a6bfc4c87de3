/**
 * The TAXII benchmark's figures, the targets they are judged by (issue 11, performance and scale-out,
 * and the earlier visibility target), and the one table printing each figure, the baseline's, the
 * ratio, the target that applies to the run's engine and whether it is met. Pure: no I/O.
 */
export type Engine = 'pglite' | 'postgres';

export type Metric =
  | 'ingest'
  | 'page100.rate'
  | 'page100.p50'
  | 'page100.p99'
  | 'page1000.rate'
  | 'page1000.p50'
  | 'page1000.p99'
  | 'visibility.p50'
  | 'visibility.p99'
  | 'rss.rest.total'
  | 'rss.rest.process'
  | 'rss.serving.total'
  | 'rss.serving.process'
  | 'rss.serving.peak'
  | 'page100.size-ratio'
  | 'page100.workers-ratio'
  | 'pivot.depth2.p99'
  | 'campaign.join.max';

type Unit = 'objects/s' | 'pages/s' | 'ms' | 'MB' | 'x';

export const METRICS: Readonly<Record<Metric, { readonly label: string; readonly unit: Unit }>> = {
  ingest: { label: 'ingest through POST, bundles of 100, 4 clients', unit: 'objects/s' },
  'page100.rate': { label: 'GET objects limit=100, 8 clients', unit: 'pages/s' },
  'page100.p50': { label: 'GET objects limit=100, 8 clients: p50', unit: 'ms' },
  'page100.p99': { label: 'GET objects limit=100, 8 clients: p99', unit: 'ms' },
  'page1000.rate': { label: 'GET objects limit=1000, 8 clients', unit: 'pages/s' },
  'page1000.p50': { label: 'GET objects limit=1000, 8 clients: p50', unit: 'ms' },
  'page1000.p99': { label: 'GET objects limit=1000, 8 clients: p99', unit: 'ms' },
  'visibility.p50': { label: 'provider POST -> consumer sees it: p50', unit: 'ms' },
  'visibility.p99': { label: 'provider POST -> consumer sees it: p99', unit: 'ms' },
  'rss.rest.total': { label: 'hub RSS at rest (all processes)', unit: 'MB' },
  'rss.rest.process': { label: 'hub RSS at rest, largest process', unit: 'MB' },
  'rss.serving.total': { label: 'hub RSS serving pages, max sampled (all processes)', unit: 'MB' },
  'rss.serving.process': { label: 'hub RSS serving pages, largest process', unit: 'MB' },
  'rss.serving.peak': { label: 'hub peak RSS since start (sum of VmHWM, read after serving)', unit: 'MB' },
  'page100.size-ratio': { label: 'GET limit=100 pages/s, small / large size', unit: 'x' },
  'page100.workers-ratio': { label: 'GET limit=100 pages/s, more / 1 worker', unit: 'x' },
  'pivot.depth2.p99': { label: 'pivot at depth 2 (issue 15): p99', unit: 'ms' },
  'campaign.join.max': { label: 'submission commit -> member of its campaign candidate, at 10,000 indicators/s (issue 15): max', unit: 'ms' },
};

export interface Figure {
  readonly metric: Metric;
  /** Objects in the collection when measured (for the size ratio: the larger size). */
  readonly size: number;
  /** Hub workers when measured (for the workers ratio: the larger count). */
  readonly workers: number;
  /** For ratios: the two sizes or worker counts compared, smaller first. */
  readonly compared?: readonly [number, number];
  readonly value: number;
}

export interface Target {
  readonly metric: Metric;
  readonly engine: Engine;
  /** The collection size the target is stated for; undefined: any size. */
  readonly size?: number;
  /** For ratio targets: the sizes or worker counts the target compares. */
  readonly compared?: readonly [number, number];
  readonly text: string;
  readonly met: (value: number) => boolean;
}

const M = 1_000_000;
export const TARGETS: readonly Target[] = [
  { metric: 'page100.rate', engine: 'postgres', size: M, text: '>= 2,000 pages/s', met: (v) => v >= 2000 },
  { metric: 'page100.p99', engine: 'postgres', size: M, text: '<= 50 ms', met: (v) => v <= 50 },
  { metric: 'page100.size-ratio', engine: 'postgres', compared: [10_000, M], text: 'within 1.5x', met: (v) => v <= 1.5 && v >= 1 / 1.5 },
  { metric: 'page100.rate', engine: 'pglite', size: 100_000, text: '>= 800 pages/s', met: (v) => v >= 800 },
  { metric: 'ingest', engine: 'postgres', size: M, text: '>= 20,000 objects/s', met: (v) => v >= 20_000 },
  { metric: 'ingest', engine: 'pglite', size: 100_000, text: '>= 10,000 objects/s', met: (v) => v >= 10_000 },
  { metric: 'page100.workers-ratio', engine: 'postgres', compared: [1, 2], text: '>= 1.6x (2 vs 1 worker)', met: (v) => v >= 1.6 },
  { metric: 'rss.rest.total', engine: 'pglite', size: 100_000, text: '<= 300 MB', met: (v) => v <= 300 },
  { metric: 'rss.serving.total', engine: 'pglite', size: 100_000, text: '<= 400 MB', met: (v) => v <= 400 },
  { metric: 'rss.rest.process', engine: 'postgres', text: '<= 200 MB per worker', met: (v) => v <= 200 },
  { metric: 'rss.serving.process', engine: 'postgres', text: '<= 200 MB per worker', met: (v) => v <= 200 },
  { metric: 'visibility.p99', engine: 'postgres', text: '<= 1 s', met: (v) => v <= 1000 },
  { metric: 'visibility.p99', engine: 'pglite', text: '<= 1 s', met: (v) => v <= 1000 },
  { metric: 'pivot.depth2.p99', engine: 'postgres', size: M, text: '<= 50 ms', met: (v) => v <= 50 },
  { metric: 'campaign.join.max', engine: 'postgres', text: '<= 1 s', met: (v) => v <= 1000 },
];

export interface Row {
  readonly label: string;
  readonly unit: Unit;
  readonly current: number;
  readonly baseline?: number;
  /** current / baseline */
  readonly ratio?: number;
  readonly target?: string;
  readonly met?: boolean;
  /** Set when the figure was measured at another size (or comparing other sizes or worker counts) than the target's. */
  readonly differs?: string;
}

const key = (f: Figure) => `${f.metric}|${f.size}|${f.workers}|${f.compared?.join(',') ?? ''}`;
const count = (n: number) => n.toLocaleString('en-US');

/** The median of each figure over several rounds (figures identified by metric, size, workers). */
export function medianFigures(rounds: readonly (readonly Figure[])[]): Figure[] {
  const groups = new Map<string, Figure[]>();
  for (const round of rounds) for (const f of round) groups.set(key(f), [...(groups.get(key(f)) ?? []), f]);
  return [...groups.values()].map((group) => {
    const values = group.map((f) => f.value).sort((a, b) => a - b);
    const mid = values.length / 2;
    const value = values.length % 2 ? (values[Math.floor(mid)] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
    return { ...(group[0] as Figure), value };
  });
}

function label(f: Figure, severalWorkerCounts: boolean): string {
  const base = METRICS[f.metric].label;
  const workers = (n: number) => `${n} worker${n === 1 ? '' : 's'}`;
  if (f.metric === 'page100.size-ratio' && f.compared) return `${base}: ${count(f.compared[0])} / ${count(f.compared[1])} objects${severalWorkerCounts || f.workers !== 1 ? `, ${workers(f.workers)}` : ''}`;
  if (f.metric === 'page100.workers-ratio' && f.compared) return `${base}: ${f.compared[1]} / ${f.compared[0]} workers, ${count(f.size)} objects`;
  return `${base}, ${count(f.size)} objects${severalWorkerCounts || f.workers !== 1 ? `, ${workers(f.workers)}` : ''}`;
}

/** Distance between two sizes on a log scale, to pick the figure nearest a target's size. */
const distance = (a: number, b: number) => Math.abs(Math.log(a / b));

/**
 * One row per current figure, in order: the baseline's matching figure and the ratio when given; the
 * target applying to the engine, and whether it is met. A target stated for one size is attached,
 * among figures differing only in size, to the one nearest that size, marked when it is not that size.
 */
export function evaluate(engine: Engine, current: readonly Figure[], baseline?: readonly Figure[]): Row[] {
  const baselineByKey = new Map((baseline ?? []).map((f) => [key(f), f]));
  const severalWorkerCounts = new Set(current.map((f) => f.workers)).size > 1;
  return current.map((f) => {
    const b = baselineByKey.get(key(f));
    const row: { -readonly [K in keyof Row]: Row[K] } = { label: label(f, severalWorkerCounts), unit: METRICS[f.metric].unit, current: f.value };
    if (b) {
      row.baseline = b.value;
      row.ratio = b.value === 0 ? NaN : f.value / b.value;
    }
    const target = TARGETS.find((t) => t.metric === f.metric && t.engine === engine);
    if (!target) return row;
    if (target.size !== undefined) {
      const siblings = current.filter((o) => o.metric === f.metric && o.workers === f.workers && (o.compared?.join() ?? '') === (f.compared?.join() ?? ''));
      const nearest = siblings.reduce((best, o) => (distance(o.size, target.size as number) < distance(best.size, target.size as number) ? o : best), f);
      if (nearest.size !== f.size) return row;
    }
    row.target = target.text;
    row.met = target.met(f.value);
    if (target.size !== undefined && target.size !== f.size) row.differs = `target for ${count(target.size)} objects, run at ${count(f.size)}`;
    if (target.compared && f.compared && (target.compared[0] !== f.compared[0] || target.compared[1] !== f.compared[1])) {
      const what = f.metric === 'page100.size-ratio' ? 'objects' : 'workers';
      row.differs = `target compares ${target.compared.map(count).join(' and ')} ${what}, run ${f.compared.map(count).join(' and ')}`;
    }
    return row;
  });
}

export function formatValue(value: number | undefined, unit: Unit): string {
  if (value === undefined) return '';
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'objects/s':
    case 'pages/s':
      return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
    case 'ms':
      return `${value.toFixed(1)} ms`;
    case 'MB':
      return `${Math.round(value)} MB`;
    case 'x':
      return `${value.toFixed(2)}x`;
  }
}

/** The table as lines: measure, figure (and baseline, ratio), target, met, note. */
export function renderTable(rows: readonly Row[], withBaseline: boolean): string[] {
  const header = ['measure', withBaseline ? 'current' : 'figure', ...(withBaseline ? ['baseline', 'current / baseline'] : []), 'target', 'met', 'note'];
  const cells = rows.map((r) => [
    r.label,
    formatValue(r.current, r.unit),
    ...(withBaseline ? [formatValue(r.baseline, r.unit), r.ratio === undefined ? '' : Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x` : 'n/a'] : []),
    r.target ?? '',
    r.met === undefined ? '' : `${r.met ? 'met' : 'NOT MET'}${r.differs ? ' *' : ''}`,
    r.differs ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]) => `| ${c.map((v, i) => v.padEnd(widths[i] as number)).join(' | ')} |`;
  const lines = [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  if (rows.some((r) => r.differs)) lines.push('* measured at another size (or comparing others) than the target states: indicative only');
  return lines;
}

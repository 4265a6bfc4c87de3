import { TARGETS, type Engine, type Metric } from './bench-targets';

/** The analysis benchmarks' figures judged by their targets (bench-targets.ts), and percentiles. */

/** The q-quantile (0..1) of the values, nearest rank; 0 for none. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** " — target <= 50 ms: met" (or NOT met, or why it does not apply to this run), for the metric's target on this engine. */
export function analysisTarget(metric: Metric, engine: Engine, size: number, value: number): string {
  const target = TARGETS.find((t) => t.metric === metric && t.engine === engine);
  if (target === undefined) return ` — target (${TARGETS.find((t) => t.metric === metric)?.text ?? 'none'}) stated for PostgreSQL`;
  if (target.size !== undefined && target.size !== size) return ` — target ${target.text} for ${target.size.toLocaleString('en-US')} indicators: ${target.met(value) ? 'met' : 'NOT met'} at ${size.toLocaleString('en-US')} (indicative)`;
  return ` — target ${target.text}: ${target.met(value) ? 'met' : 'NOT met'}`;
}

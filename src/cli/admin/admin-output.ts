import type { AdminOutcome } from './admin-executor';

export interface OutputStreams {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A list as an aligned text table, one row per item, columns from the items' keys. */
export function formatTable(items: readonly Record<string, unknown>[]): string[] {
  if (items.length === 0) return ['(none)'];
  const columns = [...new Set(items.flatMap((i) => Object.keys(i)))].filter((c) => c !== 'before' && c !== 'after');
  const rows = items.map((item) => columns.map((c) => cell(item[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map(line)];
}

/**
 * Prints an outcome: JSON when asked, otherwise a table for lists and `key: value` lines for one
 * item. Failures go to stderr with every field problem. Returns the process exit code.
 */
export function printOutcome(outcome: AdminOutcome, json: boolean, io: OutputStreams): number {
  if (!outcome.ok) {
    io.err(`error (${outcome.status}): ${outcome.message}`);
    for (const p of outcome.problems) io.err(`  ${p.path}: ${p.message}`);
    return 1;
  }
  if (outcome.body === undefined) {
    if (!json) io.out('done');
    return 0;
  }
  if (json) {
    io.out(JSON.stringify(outcome.body, null, 2));
    return 0;
  }
  const body = outcome.body as Record<string, unknown>;
  const list = Object.values(body).find(Array.isArray) as Record<string, unknown>[] | undefined;
  if (list && Object.keys(body).length <= 2) {
    for (const line of formatTable(list)) io.out(line);
    return 0;
  }
  for (const [key, value] of Object.entries(body)) {
    // A list of records inside one item (e.g. a recipients preview) prints as an indented table.
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      io.out(`${key}:`);
      for (const line of formatTable(value as Record<string, unknown>[])) io.out(`  ${line}`);
      continue;
    }
    io.out(`${key}: ${typeof value === 'object' && value !== null && !Array.isArray(value) ? JSON.stringify(value) : cell(value)}`);
  }
  return 0;
}

import type { AdminOutcome } from './admin-executor';

export interface OutputStreams {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.join(',');
  // Figures with a count (an indicator's sightings) show the count in a table; --json has the rest.
  if (typeof value === 'object' && typeof (value as { count?: unknown }).count === 'number') return String((value as { count: number }).count);
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

/** The keys of a list answer that say where the next page starts, rather than hold items. */
const PAGING_KEYS: ReadonlySet<string> = new Set(['next_after', 'next', 'more']);

/** Where the next page of a list answer starts (its `next_after`, or `next`); undefined on the last page. */
export function nextCursorOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const cursor = record.next_after ?? record.next;
  if (typeof cursor === 'string' || typeof cursor === 'number') return String(cursor);
  return undefined;
}

export interface PrintOptions {
  /** What to tell the user when more items follow the page printed (`cursor`: where they start). */
  readonly more?: (cursor: string) => string;
}

/**
 * Prints an outcome: JSON when asked, otherwise a table for lists and `key: value` lines for one
 * item. Failures go to stderr once: the hub's message, then each field problem it does not already
 * spell out (a validation message is often the problems themselves: then its title heads them).
 * A list with more pages says so on stderr. Returns the process exit code.
 */
export function printOutcome(outcome: AdminOutcome, json: boolean, io: OutputStreams, options: PrintOptions = {}): number {
  if (!outcome.ok) {
    const problems = outcome.problems.map((p) => `${p.path}: ${p.message}`);
    const spelled = problems.length > 0 && problems.every((p) => outcome.message.includes(p));
    io.err(`error (${outcome.status}): ${spelled ? (outcome.title ?? 'the request is not valid') : outcome.message}`);
    for (const p of problems) if (spelled || !outcome.message.includes(p)) io.err(`  ${p}`);
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
  if (list && Object.keys(body).filter((k) => !PAGING_KEYS.has(k)).length <= 2) {
    for (const line of formatTable(list)) io.out(line);
    const cursor = nextCursorOf(body);
    if (cursor !== undefined) io.err(options.more?.(cursor) ?? `(more follow: run again with --after ${cursor})`);
    else if (body.more === true) io.err('(more follow)');
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

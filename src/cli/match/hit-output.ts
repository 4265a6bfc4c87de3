import type { FoundHit } from './scan-input';

/** Where the hits go as they are found: JSON lines, or an aligned table. */
export interface HitOutput {
  hit(found: FoundHit): void;
  /** Prints what is held (a table's block); called after each input and at the end. */
  flush(): void;
}

/** The display name of a collection (its alias when the mirror knows one, else its id). */
export type CollectionName = (collectionId: string) => string;

/** One hit as a JSON object (`--json`): one per line, in the order found. */
export function hitJson(found: FoundHit, collectionName: CollectionName) {
  const { entry } = found.hit;
  const name = collectionName(entry.collection);
  return {
    input: found.input,
    line: found.line,
    field: found.hit.field,
    value: found.hit.observed,
    observed_as: found.hit.kind,
    indicator: entry.indicatorId,
    kind: entry.kind,
    indicator_value: entry.value,
    ...(entry.algorithm !== undefined ? { algorithm: entry.algorithm } : {}),
    collection: entry.collection,
    ...(name !== entry.collection ? { collection_alias: name } : {}),
    tlp: entry.tlp,
    campaigns: [...entry.campaigns],
    ...(entry.provider !== undefined ? { provider: entry.provider } : {}),
    how: found.hit.how,
    time: new Date(found.timeMs).toISOString(),
    time_from: found.timeFrom,
  };
}

export function jsonLinesOutput(write: (text: string) => void, collectionName: CollectionName): HitOutput {
  return {
    hit: (found) => write(JSON.stringify(hitJson(found, collectionName))),
    flush() {},
  };
}

const COLUMNS = ['WHERE', 'FIELD', 'VALUE', 'INDICATOR', 'KIND', 'COLLECTION', 'TLP', 'CAMPAIGN', 'PROVIDER', 'HOW'] as const;

/** A hit's table row: the values of COLUMNS. */
export function hitRow(found: FoundHit, collectionName: CollectionName): string[] {
  const { entry } = found.hit;
  return [
    `${found.input}:${found.line}`,
    found.hit.field,
    printable(found.hit.observed),
    entry.indicatorId,
    entry.kind,
    collectionName(entry.collection),
    entry.tlp.toUpperCase(),
    entry.campaigns.length > 0 ? entry.campaigns.join(', ') : '-',
    entry.provider ?? '-',
    found.hit.how,
  ];
}

/** Held hits are printed as a table (aligned, under a header) per input, or every `blockSize` hits of a large one. */
export function tableOutput(write: (text: string) => void, collectionName: CollectionName, blockSize = 500): HitOutput {
  let rows: string[][] = [];
  const flush = (): void => {
    if (rows.length === 0) return;
    write(alignedTable([[...COLUMNS], ...rows]));
    rows = [];
  };
  return {
    hit(found) {
      rows.push(hitRow(found, collectionName));
      if (rows.length >= blockSize) flush();
    },
    flush,
  };
}

/** Rows as left-aligned columns two spaces apart; the last column is not padded. */
export function alignedTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** A value as logged may hold control characters (a crafted subject): they must not reach the terminal. */
function printable(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

import { detectKind } from './detect-kind';
import type { IndicatorKind } from './hub-types';

/** The values box turned into submission items: each non-blank line, its number, and the item sent for it (or why none). */
export interface Line {
  readonly number: number;
  readonly text: string;
  /** The index of its item in the submission; undefined when no item is sent (kind not detected). */
  readonly item?: number;
}

export interface Item {
  readonly kind: IndicatorKind;
  readonly value: string;
  readonly algorithm?: string;
}

export function linesToItems(values: string, kind: IndicatorKind | 'detect', algorithm: string | 'detect'): { lines: Line[]; items: Item[] } {
  const lines: Line[] = [];
  const items: Item[] = [];
  values.split(/\r?\n/).forEach((text, i) => {
    if (text.trim() === '') return;
    const detected = kind === 'detect' ? detectKind(text) : { kind, ...(kind === 'file-hash' ? { algorithm: algorithm === 'detect' ? detectKind(text)?.algorithm ?? 'SHA-256' : algorithm } : {}) };
    if (detected === undefined) {
      lines.push({ number: i + 1, text });
      return;
    }
    lines.push({ number: i + 1, text, item: items.length });
    items.push({ kind: detected.kind, value: text, ...(detected.algorithm !== undefined ? { algorithm: detected.algorithm } : {}) });
  });
  return { lines, items };
}

import type { FieldProblem } from '../domain/errors';
import { normaliseIndicator, type IndicatorKind, type NormalisedIndicator } from '../domain/indicators';

/** One submitted item after the schema and normalisation: ready to store, or rejected with its problems. */
export type NormalisedItem =
  | {
      readonly ok: true;
      readonly index: number;
      readonly kind: IndicatorKind;
      readonly value: string;
      readonly indicator: NormalisedIndicator;
      /** The item's own `intentional`, when it gives one. */
      readonly intentional?: boolean;
    }
  | { readonly ok: false; readonly index: number; readonly kind?: string; readonly value?: string; readonly problems: readonly FieldProblem[] };

/**
 * Normalises every item that passed the schema; `schemaProblems` are the schema's findings per item
 * index (paths relative to the document). Each item is judged alone.
 */
export function normaliseItems(items: readonly unknown[], schemaProblems: ReadonlyMap<number, readonly FieldProblem[]>): NormalisedItem[] {
  return items.map((raw, index): NormalisedItem => {
    const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const kind = typeof record.kind === 'string' ? record.kind : undefined;
    const value = typeof record.value === 'string' ? record.value : undefined;
    const described = { index, ...(kind !== undefined ? { kind } : {}), ...(value !== undefined ? { value } : {}) };
    const problems = schemaProblems.get(index);
    if (problems !== undefined && problems.length > 0) return { ok: false, ...described, problems };
    const input = raw as { kind: IndicatorKind; value: string; algorithm?: string };
    const normalised = normaliseIndicator(input);
    if (!normalised.ok) return { ok: false, ...described, problems: [{ path: `indicators[${index}].${normalised.field}`, message: normalised.message }] };
    const intentional = typeof record.intentional === 'boolean' ? { intentional: record.intentional } : {};
    return { ok: true, index, kind: input.kind, value: input.value, indicator: normalised.indicator, ...intentional };
  });
}

/** The deduplication key of a normalised indicator: its kind and canonical value (with the algorithm of a hash). */
export function dedupKey(indicator: NormalisedIndicator): { kind: string; value: string } {
  return { kind: indicator.kind, value: indicator.algorithm !== undefined ? `${indicator.algorithm}:${indicator.value}` : indicator.value };
}

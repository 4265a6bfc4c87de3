import { HASH_ALGORITHMS, INDICATOR_KINDS, normaliseIndicator, type IndicatorKind } from '../indicators';
import { analysisKeysOf, type AnalysisKey } from './analysis-keys';

/**
 * Where a pivot on a bare value starts (issue 15 §1): the value normalised as a submission of each
 * kind would be, and the analysis keys those readings give. Without a kind, every kind whose
 * normaliser accepts the value (198.51.100.7 is a sender IP and a C2 IP); the free-text kinds
 * (subject, attachment name) accept nearly anything, so they count only when no other kind does.
 */

export interface ValueReading {
  readonly kind: IndicatorKind;
  readonly value: string;
}

export type PivotStart =
  | { readonly ok: true; readonly readings: readonly ValueReading[]; readonly keys: readonly AnalysisKey[] }
  | { readonly ok: false; readonly message: string };

const FREE_TEXT: readonly IndicatorKind[] = ['email-subject', 'email-attachment-name'];

/** One kind's reading of the value, or why it refuses it (a file hash is tried under every algorithm). */
function readAs(kind: IndicatorKind, value: string): { ok: true; reading: ValueReading } | { ok: false; message: string } {
  if (kind !== 'file-hash') {
    const found = normaliseIndicator({ kind, value });
    return found.ok ? { ok: true, reading: { kind, value: found.indicator.value } } : { ok: false, message: found.message };
  }
  for (const algorithm of HASH_ALGORITHMS) {
    const found = normaliseIndicator({ kind, value, algorithm });
    if (found.ok) return { ok: true, reading: { kind, value: found.indicator.value } };
  }
  return { ok: false, message: `is not the hex digest of any of ${HASH_ALGORITHMS.join(', ')}` };
}

export function pivotStartOf(value: string, kind?: IndicatorKind): PivotStart {
  const readings: ValueReading[] = [];
  const refusals: string[] = [];
  const kinds = kind !== undefined ? [kind] : INDICATOR_KINDS.filter((k) => !FREE_TEXT.includes(k));
  for (const k of kinds) {
    const found = readAs(k, value);
    if (found.ok) readings.push(found.reading);
    else refusals.push(`${k}: ${found.message}`);
  }
  if (kind === undefined && readings.length === 0) {
    for (const k of FREE_TEXT) {
      const found = readAs(k, value);
      if (found.ok) readings.push(found.reading);
      else refusals.push(`${k}: ${found.message}`);
    }
  }
  if (readings.length === 0) return { ok: false, message: `no kind of indicator accepts this value (${refusals.join('; ')})` };
  const keys = new Map<string, AnalysisKey>();
  for (const r of readings) for (const k of analysisKeysOf(r.kind, r.value)) if (!keys.has(k.key)) keys.set(k.key, k);
  return { ok: true, readings, keys: [...keys.values()] };
}

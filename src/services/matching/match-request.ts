import { hubError } from '../../domain/errors';
import type { LogFormat, ObservationKind } from '../../domain/matching/match-types';

/**
 * What POST /api/match asks (schemas/match-request.schema.json): values or log lines, and where to
 * look. The schema checks the shapes and the 10,000 bound; matchRequestOf adds what a schema says
 * poorly (exactly one of values and lines; format only with lines).
 */

/** The most values or lines one request may carry. */
export const MAX_MATCH_ITEMS = 10_000;

/** A bare value (its kind detected as the 'values' log format detects it) or a value of a named kind. */
export type MatchValue = string | { readonly value: string; readonly kind?: ObservationKind };

export type MatchInput =
  | { readonly values: readonly MatchValue[] }
  | { readonly lines: readonly string[]; readonly format: LogFormat | 'auto' };

export type MatchRequest = MatchInput & {
  /** Collection ids or aliases; every collection the caller may read when absent. */
  readonly collections?: readonly string[];
};

/** The body as the schema lets it through. */
export interface MatchBody {
  readonly values?: readonly MatchValue[];
  readonly lines?: readonly string[];
  readonly format?: LogFormat | 'auto';
  readonly collections?: readonly string[];
}

export function matchRequestOf(body: MatchBody): MatchRequest {
  const fail = (path: string, message: string) => hubError('VALIDATION_FAILED', { description: `${path}: ${message}`, problems: [{ path, message }] });
  const where = body.collections !== undefined ? { collections: body.collections } : {};
  if (body.values !== undefined && body.lines !== undefined) throw fail('lines', 'give values or lines, not both');
  if (body.values !== undefined) {
    if (body.format !== undefined) throw fail('format', 'applies to lines only');
    return { values: body.values, ...where };
  }
  if (body.lines !== undefined) return { lines: body.lines, format: body.format ?? 'auto', ...where };
  throw fail('values', 'is required (or lines)');
}

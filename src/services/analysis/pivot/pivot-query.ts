import { hubError } from '../../../domain/errors';
import { isStixId } from '../../../domain/ids';
import { INDICATOR_KINDS, type IndicatorKind } from '../../../domain/indicators';
import { isIndicatorKind } from '../../../domain/indicators/indicator-kinds';

/**
 * What a pivot asks for (GET /api/pivot, taxii-hub pivot): a value (of one kind, or of every kind
 * that accepts it) or a STIX object, how many hops, in which collections, and in which form.
 */
export interface PivotQuery {
  readonly value?: string;
  readonly kind?: IndicatorKind;
  readonly object?: string;
  /** 1 to MAX_PIVOT_DEPTH; default 1. */
  readonly depth?: number;
  /** Collection ids or aliases; every collection the caller may read when absent. */
  readonly collections?: readonly string[];
  readonly format?: 'graph' | 'stix';
}

export const MAX_PIVOT_DEPTH = 3;


function bad(path: string, message: string): never {
  throw hubError('BAD_REQUEST', { description: `${path}: ${message}`, problems: [{ path, message }] });
}

/** One query-string parameter as a single string (express gives arrays for repeats). */
function single(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') bad(name, 'must be given once');
  return value;
}

/** A pivot query from query-string parameters, or BAD_REQUEST naming the parameter at fault. */
export function pivotQueryOf(raw: Record<string, unknown>): PivotQuery {
  const value = single(raw, 'value');
  const object = single(raw, 'object');
  const kind = single(raw, 'kind');
  const depth = single(raw, 'depth');
  const format = single(raw, 'format');
  const collections = single(raw, 'collections');
  if ((value === undefined) === (object === undefined)) bad(value === undefined ? 'value' : 'object', 'send exactly one of value and object');
  if (value !== undefined && value.trim() === '') bad('value', 'is empty');
  if (object !== undefined && !isStixId(object)) bad('object', 'is not a STIX id (type--uuid)');
  if (kind !== undefined && !isIndicatorKind(kind)) bad('kind', `must be one of ${INDICATOR_KINDS.join(', ')}`);
  if (kind !== undefined && object !== undefined) bad('kind', 'goes with value, not object');
  if (depth !== undefined && (!/^[0-9]+$/.test(depth) || Number(depth) < 1 || Number(depth) > MAX_PIVOT_DEPTH)) bad('depth', `must be a whole number from 1 to ${MAX_PIVOT_DEPTH}`);
  if (format !== undefined && format !== 'graph' && format !== 'stix') bad('format', 'must be graph or stix');
  const names = collections?.split(',').map((c) => c.trim()).filter((c) => c !== '');
  return {
    ...(value !== undefined ? { value } : {}),
    ...(object !== undefined ? { object } : {}),
    ...(kind !== undefined ? { kind: kind as IndicatorKind } : {}),
    ...(depth !== undefined ? { depth: Number(depth) } : {}),
    ...(names !== undefined && names.length > 0 ? { collections: names } : {}),
    ...(format !== undefined ? { format } : {}),
  };
}

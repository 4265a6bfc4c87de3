import { formatMicros, parseMicros } from '../timestamps';

/**
 * TAXII timestamp labels (X-08, TL-01): `xs:dateTime` with a time zone and at most six fractional
 * digits. The hub keeps them as integer microseconds since the epoch and writes them in UTC with
 * exactly six digits, which libtaxii's and cabby's dateutil parse.
 */

export type TaxiiTimestampOutcome = { readonly ok: true; readonly micros: number } | { readonly ok: false; readonly message: string };

/** The instants the hub keeps to the microsecond (1684-07-28 to 2255-06-05). */
export const EARLIEST_MICROS = -Number.MAX_SAFE_INTEGER;
export const LATEST_MICROS = Number.MAX_SAFE_INTEGER;

const LABEL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Reads a timestamp label to microseconds. `what` names the element in the problem message, which is
 * sent to the client (e.g. `Exclusive_Begin_Timestamp`).
 */
export function parseTaxiiTimestamp(text: string, what: string): TaxiiTimestampOutcome {
  const trimmed = text.trim();
  const m = LABEL.exec(trimmed);
  const shape = 'an xs:dateTime with a time zone such as 2024-01-01T00:00:00.000000Z or 2024-01-01T00:00:00+00:00';
  if (m === null) return { ok: false, message: `${what} '${trimmed}' is not ${shape}` };
  if (m[2] === undefined) return { ok: false, message: `${what} '${trimmed}' has no time zone (TAXII timestamps need Z or ±hh:mm)` };
  if (m[1] !== undefined && m[1].length > 6) {
    return { ok: false, message: `${what} '${trimmed}' has ${m[1].length} fractional digits (TAXII allows at most 6)` };
  }
  if (trimmed.startsWith('0000')) return { ok: false, message: `${what} '${trimmed}' has year 0000, which xs:dateTime does not have` };
  const micros = parseMicros(trimmed);
  if (micros === undefined) return { ok: false, message: `${what} '${trimmed}' is not a real date and time` };
  // Beyond 2^53 µs a number no longer holds every microsecond (9999-12-31T23:59:59.999999Z would come
  // back as +010000-01-01…). Every label the hub assigns lies far inside, so a bound outside is taken
  // as the earliest or latest instant the hub keeps: it selects exactly the same records (a client's
  // 0001-01-01 meaning "from the beginning" still works), and it is written back readable.
  return { ok: true, micros: Math.min(Math.max(micros, EARLIEST_MICROS), LATEST_MICROS) };
}

/** `2024-01-01T12:00:00.123456Z` from microseconds. */
export function formatTaxiiTimestamp(micros: number): string {
  return formatMicros(micros);
}

/**
 * TAXII 2.1 timestamps have microsecond precision; JS Date has milliseconds. The hub keeps every
 * date_added and object version as an integer count of microseconds since the epoch (exact in a JS
 * number until the year 2255) and formats it itself.
 */

/** Now, in microseconds (millisecond resolution; the collection clock makes date_added unique). */
export function nowMicros(now: () => number = Date.now): number {
  return now() * 1000;
}

/** `2026-11-23T10:49:41.123456Z` from microseconds. */
export function formatMicros(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString(); // 2026-11-23T10:49:41.123Z
  const fraction = String(micros - millis * 1000).padStart(3, '0');
  return `${iso.slice(0, 23)}${fraction}Z`;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Parses an RFC 3339 timestamp (0 to 9 fractional digits, `Z` or an offset) to microseconds;
 * digits past the sixth are dropped. Undefined when the text is not such a timestamp.
 */
export function parseMicros(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const base = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone.toUpperCase() === 'Z' ? 'Z' : zone}`);
  if (Number.isNaN(base)) return undefined;
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined; // e.g. Feb 30
  return base * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

/**
 * A STIX timestamp (STIX 2.1 §3.2, and `t'…'` in patterns): RFC 3339 in UTC with an upper-case `T`
 * and `Z`, any number of fractional digits. Unlike parseMicros, no offsets and no lower case.
 */
const UTC_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

/**
 * What is wrong with a STIX timestamp, completing "it …"; undefined when it is one: a real calendar
 * date and time of day, a leap second (second 60) allowed.
 */
export function utcTimestampProblem(text: string): string | undefined {
  const m = UTC_TIMESTAMP.exec(text);
  if (!m) return 'is not an RFC 3339 UTC timestamp such as 2020-01-01T00:00:00Z';
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12) return `has month ${month}`;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  if (day < 1 || day > days) return `has day ${day}, not in ${year}-${String(month).padStart(2, '0')}`;
  if (hour > 23) return `has hour ${hour}`;
  if (minute > 59) return `has minute ${minute}`;
  if (second > 60) return `has second ${second}`;
  return undefined;
}

/**
 * Orders two STIX timestamps exactly, as text: the fixed-width part compares lexically, the fractions
 * as digits padded to the same length (no Date parsing, no rounding, cheap enough for the ingest path).
 * Negative, zero or positive as `a` is earlier, equal or later; undefined when either does not have
 * the shape of a STIX timestamp (whether its date exists is not checked here).
 */
export function compareUtcTimestamps(a: string, b: string): number | undefined {
  const ma = UTC_TIMESTAMP.exec(a);
  const mb = UTC_TIMESTAMP.exec(b);
  if (ma === null || mb === null) return undefined;
  const ha = a.slice(0, 19);
  const hb = b.slice(0, 19);
  if (ha !== hb) return ha < hb ? -1 : 1;
  const fa = ma[7] ?? '';
  const fb = mb[7] ?? '';
  const width = Math.max(fa.length, fb.length);
  const pa = fa.padEnd(width, '0');
  const pb = fb.padEnd(width, '0');
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}

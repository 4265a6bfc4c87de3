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

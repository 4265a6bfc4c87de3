import type { Observe } from '../match-types';
import { observeHttpUrl, observeZeekValue, ZEEK_FIELDS } from './zeek-fields';
import { jsonObjectOf } from './json-line';

/**
 * Zeek's JSON lines (`{"ts":1796551201.118,"uid":"C...","id.orig_h":"192.0.2.41",...}`, LogAscii::use_json):
 * the same fields as the TSV columns, keys as dotted names. `ts` is Unix seconds or, with
 * JSON::TS_FORMAT ISO8601, a timestamp.
 */

/** A Zeek JSON line has a uid or a connection id; any other JSON is left to ECS. */
export function readZeekJson(line: string, observe: Observe): boolean {
  if (!line.includes('"uid"') && !line.includes('"id.orig_h"') && !line.includes('"fuid"')) return false;
  const record = jsonObjectOf(line);
  if (record === undefined || (record.uid === undefined && record['id.orig_h'] === undefined && record.fuid === undefined)) return false;
  let host: string | undefined;
  let uri: string | undefined;
  for (const [key, value] of Object.entries(record)) {
    const column = ZEEK_FIELDS.get(key);
    if (column === undefined) continue;
    const [how, field] = column;
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) {
      if (typeof one !== 'string' || one === '') continue;
      if (how === 'http-host') host = one;
      else if (how === 'http-uri') uri = one;
      observeZeekValue(how === 'addresses' ? 'address' : how, field, one, observe);
    }
  }
  if (uri !== undefined) observeHttpUrl(host, uri, observe);
  return true;
}

export function zeekJsonTime(line: string): number | undefined {
  const ts = jsonObjectOf(line)?.ts;
  if (typeof ts === 'number') return Math.round(ts * 1000);
  if (typeof ts !== 'string') return undefined;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : ms;
}

import type { Observe } from '../match-types';
import type { FormatReader } from './format-reader';
import { isDigit } from './text-scan';
import { observeHttpUrl, observeZeekValue, ZEEK_FIELDS, type ZeekValue } from './zeek-fields';
import { readZeekJson, zeekJsonTime } from './zeek-json';

/**
 * Zeek's TSV logs: a header (`#separator \x09`, `#set_separator ,`, `#empty_field (empty)`,
 * `#unset_field -`, `#path conn`, `#fields ts uid id.orig_h ...`, `#types ...`) then one row per line;
 * a concatenated log starts a new header, which replaces the old one. The columns read are named in
 * ZEEK_FIELDS whatever the log (conn, dns, http, smtp, files, ssl ...). Zeek's JSON lines read alike.
 */

/** `\x09` → a tab: Zeek writes non-printable bytes (and its separator inside a value) so. */
function unescape(text: string): string {
  return text.includes('\\x') ? text.replace(/\\x([0-9A-Fa-f]{2})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

interface ZeekHeader {
  separator: string;
  setSeparator: string;
  empty: string;
  unset: string;
  columns: ((readonly [ZeekValue, string]) | undefined)[];
  timeColumn: number;
}

function freshHeader(): ZeekHeader {
  return { separator: '\t', setSeparator: ',', empty: '(empty)', unset: '-', columns: [], timeColumn: -1 };
}

/** A header line (`#name<separator>value`); false when it is not one of Zeek's. */
function readHeaderLine(line: string, header: ZeekHeader): boolean {
  if (line.startsWith('#separator ')) {
    Object.assign(header, freshHeader(), { separator: unescape(line.substring(11)) });
    return true;
  }
  const nameEnd = line.indexOf(header.separator);
  if (nameEnd < 0) return false;
  const name = line.substring(1, nameEnd);
  const value = line.substring(nameEnd + header.separator.length);
  switch (name) {
    case 'set_separator': header.setSeparator = unescape(value); return true;
    case 'empty_field': header.empty = value; return true;
    case 'unset_field': header.unset = value; return true;
    case 'fields': {
      const names = value.split(header.separator);
      header.columns = names.map((field) => ZEEK_FIELDS.get(field));
      header.timeColumn = names.indexOf('ts');
      return true;
    }
    case 'path': case 'open': case 'close': case 'types': return true;
    default: return false;
  }
}

function readRow(line: string, header: ZeekHeader, observe: Observe): void {
  const { separator, columns } = header;
  let host: string | undefined;
  let uri: string | undefined;
  let start = 0;
  for (let index = 0; index < columns.length && start <= line.length; index += 1) {
    let end = line.indexOf(separator, start);
    if (end < 0) end = line.length;
    const column = columns[index];
    if (column !== undefined && end > start) {
      const raw = line.substring(start, end);
      if (raw !== header.unset && raw !== header.empty) {
        const [how, field] = column;
        if (how === 'addresses') {
          for (const one of raw.split(header.setSeparator)) if (one !== '') observeZeekValue('address', field, unescape(one), observe);
        } else {
          const value = unescape(raw);
          if (how === 'http-host') host = value;
          else if (how === 'http-uri') uri = value;
          observeZeekValue(how, field, value, observe);
        }
      }
    }
    start = end + separator.length;
  }
  if (uri !== undefined) observeHttpUrl(host, uri, observe);
}

/** A row has the header's separator, and the time where the header puts it (so 'auto' leaves other logs alone). */
function isRow(line: string, header: ZeekHeader): boolean {
  const firstEnd = line.indexOf(header.separator);
  if (firstEnd <= 0) return false;
  if (header.timeColumn !== 0) return true;
  for (let i = 0; i < firstEnd; i += 1) {
    const code = line.charCodeAt(i);
    if (!isDigit(code) && code !== 46) return false;
  }
  return true;
}

export function createZeekReader(): FormatReader {
  const header = freshHeader();
  let configured = false;
  return {
    read(line, observe) {
      const first = line.charCodeAt(0);
      if (first === 35 /* # */) {
        if (!readHeaderLine(line, header)) return false;
        configured = header.columns.length > 0;
        return true;
      }
      if (first === 123 /* { */) return readZeekJson(line, observe);
      if (!configured || !isRow(line, header)) return false;
      readRow(line, header, observe);
      return true;
    },
    time(line) {
      if (line.charCodeAt(0) === 123) return zeekJsonTime(line);
      if (header.timeColumn < 0) return undefined;
      let start = 0;
      for (let index = 0; index < header.timeColumn; index += 1) start = line.indexOf(header.separator, start) + header.separator.length;
      const end = line.indexOf(header.separator, start);
      const seconds = Number(line.substring(start, end < 0 ? line.length : end));
      return Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined;
    },
  };
}

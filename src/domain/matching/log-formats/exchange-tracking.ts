import type { ObservationKind, Observe } from '../match-types';
import type { FormatReader } from './format-reader';
import { isDigit } from './text-scan';

/**
 * Microsoft Exchange message tracking logs: W3C-style header lines (`#Software:`, `#Fields: date-time,
 * client-ip,...`) then CSV rows, quoted where a value holds a comma or a quote (doubled inside). The
 * `#Fields:` row decides the columns; without one the column order of Exchange 2013 and later is
 * taken. A Get-MessageTrackingLog | Export-Csv file (`"Timestamp","ClientIp",...`) reads the same.
 */

const DEFAULT_FIELDS = 'date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,'
  + 'internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,'
  + 'related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,'
  + 'original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version';

interface Column {
  readonly kind: ObservationKind | 'time';
  readonly field: string;
}

/** Column names without case or hyphens (`client-ip`, `ClientIp`) to what they give. */
const WANTED: ReadonlyMap<string, Column> = new Map([
  ['datetime', { kind: 'time', field: 'date-time' }],
  ['timestamp', { kind: 'time', field: 'date-time' }],
  ['clientip', { kind: 'ip', field: 'client-ip' }],
  ['originalclientip', { kind: 'ip', field: 'original-client-ip' }],
  ['senderaddress', { kind: 'email', field: 'sender-address' }],
  ['sender', { kind: 'email', field: 'sender-address' }],
  ['returnpath', { kind: 'email', field: 'return-path' }],
  ['messagesubject', { kind: 'subject', field: 'subject' }],
]);

interface Layout {
  readonly columns: readonly (Column | undefined)[];
  readonly timeColumn: number;
}

function layoutOf(names: readonly string[]): Layout {
  const columns = names.map((name) => WANTED.get(name.trim().replace(/^"|"$/g, '').replace(/-/g, '').toLowerCase()));
  let last = columns.length - 1;
  while (last >= 0 && columns[last] === undefined) last -= 1;
  return { columns: columns.slice(0, last + 1), timeColumn: columns.findIndex((column) => column?.kind === 'time') };
}

/** Calls `onCell` for each cell of a CSV row up to `count` cells, unquoted. */
function cells(line: string, count: number, onCell: (index: number, value: string) => void): void {
  let at = 0;
  for (let index = 0; index < count && at <= line.length; index += 1) {
    let value: string;
    if (line.charCodeAt(at) === 34) {
      value = '';
      let from = at + 1;
      let i = from;
      for (; i < line.length; i += 1) {
        if (line.charCodeAt(i) !== 34) continue;
        value += line.substring(from, i);
        if (line.charCodeAt(i + 1) !== 34) break;
        i += 1;
        from = i;
      }
      if (i >= line.length) value += line.substring(from, i);
      at = line.indexOf(',', i);
    } else {
      const comma = line.indexOf(',', at);
      value = line.substring(at, comma < 0 ? line.length : comma);
      at = comma;
    }
    onCell(index, value);
    if (at < 0) return;
    at += 1;
  }
}

function isHeader(line: string): boolean {
  return line.startsWith('#Software:') || line.startsWith('#Version:') || line.startsWith('#Log-type:') || line.startsWith('#Date:') || line.startsWith('#TYPE ');
}

export function createExchangeReader(): FormatReader {
  let layout = layoutOf(DEFAULT_FIELDS.split(','));
  let fromHeader = false;
  const isRow = (line: string): boolean => {
    if (fromHeader && line.charCodeAt(0) === 34) return true;
    // 2026-12-06T10:00:01.123Z, — the first cell of a row.
    return isDigit(line.charCodeAt(0)) && line.charCodeAt(4) === 45 && line.charCodeAt(10) === 84 && line.indexOf(',') === line.indexOf('Z') + 1 && line.indexOf(',') > 18;
  };
  return {
    read(line, observe: Observe) {
      if (line.startsWith('#Fields:')) {
        layout = layoutOf(line.substring(8).split(','));
        fromHeader = true;
        return true;
      }
      if (isHeader(line)) return true;
      if (line.startsWith('"Timestamp"') || line.startsWith('"DateTime"')) {
        layout = layoutOf(line.split(','));
        fromHeader = true;
        return true;
      }
      if (!isRow(line)) return false;
      cells(line, layout.columns.length, (index, value) => {
        const column = layout.columns[index];
        if (column === undefined || column.kind === 'time' || value === '' || value === '<>') return;
        observe(column.kind, column.field, value);
      });
      return true;
    },
    time(line) {
      if (layout.timeColumn < 0 || !isRow(line)) return undefined;
      let ms: number | undefined;
      cells(line, layout.timeColumn + 1, (index, value) => {
        if (index === layout.timeColumn) ms = Date.parse(value);
      });
      return ms === undefined || Number.isNaN(ms) ? undefined : ms;
    },
  };
}

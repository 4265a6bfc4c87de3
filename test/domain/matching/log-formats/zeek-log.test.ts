import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import { readFixture, readLines, type Row } from './fixture-reading';

const ip = (line: number, field: string, raw: string): Row => [line, 'ip', field, raw];

describe('Zeek TSV logs read by their header, and Zeek JSON', () => {
  test('conn: a second header mid-file (columns in another order) replaces the first', () => {
    const { rows, formats } = readFixture('zeek', 'zeek-conn.log');
    expect(rows).toEqual<Row[]>([
      ip(9, 'source-ip', '192.0.2.41'), ip(9, 'destination-ip', '203.0.113.66'),
      ip(10, 'source-ip', '192.0.2.42'), ip(10, 'destination-ip', '198.51.100.80'),
      ip(11, 'source-ip', '192.0.2.43'), ip(11, 'destination-ip', '198.51.101.80'),
      ip(12, 'source-ip', '2001:db8:1::46'), ip(12, 'destination-ip', '2001:db8:bad::66'),
      ip(22, 'destination-ip', '203.0.113.67'), ip(22, 'source-ip', '192.0.2.44'),
      ip(23, 'destination-ip', '198.51.100.200'), ip(23, 'source-ip', '192.0.2.44'),
    ]);
    expect(formats.every((format) => format === 'zeek')).toBe(true);
  });

  test('dns: the query and each answer, an address or a name; unset answers give nothing', () => {
    const { rows } = readFixture('zeek', 'zeek-dns.log');
    expect(rows.filter(([, kind, field]) => kind !== 'ip' || field === 'dns-answer')).toEqual<Row[]>([
      [9, 'host', 'dns-query', 'img.evil-cdn.example'],
      [9, 'host', 'dns-answer', 'cdn-edge.hosting.example'],
      [9, 'ip', 'dns-answer', '198.51.100.80'],
      [10, 'host', 'dns-query', 'notevil-cdn.example'],
      [10, 'ip', 'dns-answer', '203.0.113.90'],
      [11, 'host', 'dns-query', 'evil-cdn.example.net'],
      [11, 'ip', 'dns-answer', '2001:db8:bad::66'],
      [12, 'host', 'dns-query', 'phish-mail.example'],
    ]);
  });

  test('http: host and uri make the URL; the referrer; escaped bytes in other columns do not shift them', () => {
    const { rows } = readFixture('zeek', 'zeek-http.log');
    expect(rows.filter(([, kind]) => kind !== 'ip')).toEqual<Row[]>([
      [9, 'host', 'host', 'downloads.bad-updates.example'],
      [9, 'url', 'url', 'http://downloads.bad-updates.example/payload/update.exe'],
      [10, 'host', 'host', 'downloads.bad-updates.example'],
      [10, 'url', 'url', 'http://downloads.bad-updates.example/payload/readme.txt'],
      [11, 'host', 'host', 'img.evil-cdn.example'],
      [11, 'url', 'referer', 'http://news.example/today'],
      [11, 'url', 'url', 'http://img.evil-cdn.example/banner.gif'],
      [12, 'host', 'host', 'notevil-cdn.example'],
      [12, 'url', 'url', 'http://notevil-cdn.example/index.html'],
    ]);
  });

  test('smtp: envelope and header sender, subject (RFC 2047 decoded), client and X-Originating-IP', () => {
    const { rows } = readFixture('zeek', 'zeek-smtp.log');
    expect(rows).toEqual<Row[]>([
      ip(9, 'source-ip', '203.0.113.66'), ip(9, 'destination-ip', '192.0.2.25'),
      [9, 'email', 'envelope-from', 'billing@invoice-portal.example'],
      [9, 'email', 'header-from', 'billing@invoice-portal.example'],
      [9, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      ip(10, 'source-ip', '198.51.100.23'), ip(10, 'destination-ip', '192.0.2.25'),
      [10, 'email', 'envelope-from', 'ceo@phish-mail.example'],
      [10, 'email', 'header-from', 'ceo@phish-mail.example'],
      [10, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      ip(10, 'original-client-ip', '198.51.100.23'),
      ip(11, 'source-ip', '198.51.101.23'), ip(11, 'destination-ip', '192.0.2.25'),
      [11, 'email', 'envelope-from', 'payroll@invoice-portal.example'],
      [11, 'email', 'header-from', 'payroll@invoice-portal.example'],
      [11, 'subject', 'subject', 'Invoice 2026-1183 overdue'],
    ]);
  });

  test('files: the name and every hash, as logged (any case)', () => {
    const { rows } = readFixture('zeek', 'zeek-files.log');
    expect(rows.filter(([, kind]) => kind !== 'ip')).toEqual<Row[]>([
      [9, 'filename', 'file-name', 'Invoice_2026-1182.pdf.exe'],
      [9, 'hash', 'file-hash', 'B04171AA3250CD01ED6BB0FCD8180F23'],
      [9, 'hash', 'file-hash', '82da16621cd63dd7127b22eff08142ea850b32b4'],
      [9, 'hash', 'file-hash', 'ba7103ca6967e65f269b986b0a0c644788a0a3989eb0856e846a23cc0a9b9690'],
      [10, 'filename', 'file-name', 'Invoice_2026-1182.pdf'],
      [10, 'hash', 'file-hash', 'b04171aa3250cd01ed6bb0fcd8180f24'],
      [11, 'hash', 'file-hash', '6d0bb00954ceb7fbee436bb55a8397a9'],
      [11, 'hash', 'file-hash', 'aef2f4a0b5f8e9f24d1b38de7c2fb1a3c7e4d8a1'],
    ]);
  });

  test('rows before any #fields header are not read; a header with another separator is', () => {
    const { rows, formats } = readLines('zeek', [
      '1796547601.118204\tCHhAvVGS1DHFjwGM9\t192.0.2.41',
      '#separator ,',
      '#fields,ts,id.orig_h,query',
      '1796547601.118204,192.0.2.41,img.evil-cdn.example',
    ]);
    expect(formats).toEqual([undefined, 'zeek', 'zeek', 'zeek']);
    expect(rows).toEqual<Row[]>([ip(4, 'source-ip', '192.0.2.41'), [4, 'host', 'dns-query', 'img.evil-cdn.example']]);
  });

  test('a DNS answer that is a record text, not a name or an address, is not looked up', () => {
    const { rows } = readLines('zeek', ['#fields\tts\tanswers', '1796547601.1\tTXT 36 v=spf1 include:evil-cdn.example -all,198.51.100.80']);
    expect(rows).toEqual<Row[]>([ip(2, 'dns-answer', '198.51.100.80')]);
  });

  test('CRLF line ends: the last column is still read by its name', () => {
    const { rows } = readLines('zeek', ['#separator \\x09\r', '#fields\tts\tid.orig_h\r', '1796547601.118204\t198.51.100.23\r']);
    expect(rows).toEqual<Row[]>([ip(3, 'source-ip', '198.51.100.23')]);
  });

  test('JSON lines: the same fields by key, sets as arrays, an http URL from host and uri', () => {
    const { rows, formats } = readLines('zeek', [
      '{"ts":1796547601.118204,"uid":"CHhAvVGS1DHFjwGM9","id.orig_h":"192.0.2.41","id.orig_p":51544,"id.resp_h":"203.0.113.80","id.resp_p":80,"method":"GET","host":"downloads.bad-updates.example:8080","uri":"/payload/update.exe"}',
      '{"ts":"2026-12-06T09:00:05.100200Z","uid":"CaJ9CP1rFG7ac0mCic","query":"img.evil-cdn.example","answers":["cdn-edge.hosting.example","198.51.100.80"]}',
    ]);
    expect(formats).toEqual(['zeek', 'zeek']);
    expect(rows).toEqual<Row[]>([
      ip(1, 'source-ip', '192.0.2.41'), ip(1, 'destination-ip', '203.0.113.80'),
      [1, 'host', 'host', 'downloads.bad-updates.example'],
      [1, 'url', 'url', 'http://downloads.bad-updates.example:8080/payload/update.exe'],
      [2, 'host', 'dns-query', 'img.evil-cdn.example'],
      [2, 'host', 'dns-answer', 'cdn-edge.hosting.example'],
      [2, 'ip', 'dns-answer', '198.51.100.80'],
    ]);
  });

  test('time: the ts column (found by the header) or the JSON ts, in seconds or ISO', () => {
    const reader = createLogLineReader('zeek');
    reader.read('#fields\tuid\tts\tid.orig_h', () => undefined);
    expect(reader.time('CHhAvVGS1DHFjwGM9\t1796547601.118204\t192.0.2.41', 0)).toBe(1796547601118);
    expect(reader.time('{"ts":1796547601.118204,"uid":"C1"}', 0)).toBe(1796547601118);
    expect(reader.time('{"ts":"2026-12-06T09:00:05.100Z","uid":"C1"}', 0)).toBe(Date.UTC(2026, 11, 6, 9, 0, 5, 100));
  });
});

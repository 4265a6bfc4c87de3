import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import { readFixture, type Row } from './fixture-reading';

describe('ECS JSON lines, nested, dotted or mixed', () => {
  test('the fixture', () => {
    const { rows, formats } = readFixture('ecs', 'ecs.ndjson');
    expect(rows).toEqual<Row[]>([
      [1, 'ip', 'source-ip', '192.0.2.41'],
      [1, 'ip', 'destination-ip', '203.0.113.66'],
      [2, 'ip', 'source-ip', '198.51.100.23'],
      [2, 'ip', 'destination-ip', '192.0.2.10'],
      // url.domain is not repeated when url.full is there: the index reads a URL's host.
      [3, 'ip', 'client-ip', '192.0.2.41'],
      [3, 'url', 'url', 'http://downloads.bad-updates.example/payload/update.exe'],
      [4, 'ip', 'client-ip', '192.0.2.41'],
      [4, 'url', 'url', 'http://downloads.bad-updates.example/payload/readme.txt'],
      [5, 'ip', 'source-ip', '192.0.2.42'],
      [5, 'host', 'dns-query', 'img.evil-cdn.example'],
      [5, 'ip', 'dns-answer', '198.51.100.80'],
      [6, 'ip', 'source-ip', '192.0.2.43'],
      [6, 'host', 'dns-query', 'evil-cdn.example.net'],
      [7, 'ip', 'source-ip', '203.0.113.66'],
      [7, 'email', 'header-from', 'billing@invoice-portal.example'],
      [7, 'email', 'header-sender', 'bounce@invoice-portal.example.org'],
      [7, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      [7, 'filename', 'attachment-name', 'Invoice_2026-1182.pdf.exe'],
      [7, 'hash', 'attachment-hash', 'BA7103CA6967E65F269B986B0A0C644788A0A3989EB0856E846A23CC0A9B9690'],
      [8, 'email', 'header-from', 'payroll@invoice-portal.example'],
      [8, 'subject', 'subject', 'Invoice 2026-1183 overdue'],
      [8, 'filename', 'attachment-name', 'Invoice_2026-1182.pdf'],
      [9, 'hash', 'file-hash', 'b04171aa3250cd01ed6bb0fcd8180f23'],
      [9, 'hash', 'file-hash', '82da16621cd63dd7127b22eff08142ea850b32b4'],
      [9, 'filename', 'file-name', 'update.exe'],
      [10, 'hash', 'file-hash', 'b04171aa3250cd01ed6bb0fcd8180f24'],
      [10, 'filename', 'file-name', 'readme.txt'],
      [11, 'ip', 'source-ip', '2001:db8:1::46'],
      [11, 'ip', 'destination-ip', '2001:0db8:0bad:0000:0000:0000:0000:0066'],
    ]);
    expect(formats.every((format) => format === 'ecs')).toBe(true);
  });

  test('url.domain when no absolute URL is logged', () => {
    const reader = createLogLineReader('ecs');
    const rows: string[] = [];
    reader.read('{"url":{"original":"/banner.gif","domain":"img.evil-cdn.example"}}', (kind, field, raw) => rows.push(`${kind} ${field} ${raw}`));
    expect(rows).toEqual(['host url-domain img.evil-cdn.example']);
  });

  test('time: @timestamp', () => {
    const reader = createLogLineReader('ecs');
    expect(reader.time('{"@timestamp":"2026-12-06T09:00:03.500Z","source":{"ip":"192.0.2.1"}}', 0)).toBe(Date.UTC(2026, 11, 6, 9, 0, 3, 500));
  });
});

import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import { readFixture, readLines, type Row } from './fixture-reading';

describe('Exim main log: arrivals, deliveries and rejections', () => {
  test('the fixture: sender, client, subject (escaped, RFC 2047), delivery host and F=, a bounce, a syslog-prefixed line', () => {
    const { rows, formats } = readFixture('exim', 'exim-main.log');
    expect(rows).toEqual<Row[]>([
      [1, 'email', 'envelope-from', 'billing@invoice-portal.example'],
      [1, 'ip', 'client-ip', '203.0.113.66'],
      [1, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      [2, 'email', 'envelope-from', 'billing@invoice-portal.example'],
      [4, 'email', 'envelope-from', 'ceo@phish-mail.example'],
      [4, 'ip', 'client-ip', '198.51.100.23'],
      [4, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      [5, 'host', 'destination-host', 'relay.corp.example'],
      [5, 'ip', 'destination-ip', '192.0.2.30'],
      [6, 'email', 'envelope-from', 'reports@corp.example'],
      [6, 'subject', 'subject', 'Weekly "proxy" report'],
      [7, 'host', 'destination-host', 'mx.evil-cdn.example.net'],
      [7, 'ip', 'destination-ip', '203.0.113.91'],
      [8, 'host', 'destination-host', 'mx.img.evil-cdn.example'],
      [8, 'ip', 'destination-ip', '198.51.100.80'],
      [9, 'ip', 'client-ip', '203.0.113.67'],
      [9, 'email', 'envelope-from', 'billing@invoice-portal.example.org'],
      [10, 'subject', 'subject', 'Mail delivery failed: returning message to sender'],
      [11, 'email', 'envelope-from', 'payroll@invoice-portal.example'],
      [11, 'ip', 'client-ip', '198.51.101.23'],
      [11, 'subject', 'subject', 'Invoice 2026-1183 overdue'],
    ]);
    expect(formats.every((format) => format === 'exim')).toBe(true);
  });

  test('SMTP connection lines name the client', () => {
    const { rows } = readLines('exim', [
      '2026-12-06 10:06:31 SMTP connection from (bulk.example) [203.0.113.67]:40112 lost D=0.010s',
      '2026-12-06 10:06:32 SMTP connection from [2001:db8:bad::66]:40113 (TCP/IP connection count = 1)',
    ]);
    expect(rows).toEqual<Row[]>([[1, 'ip', 'client-ip', '203.0.113.67'], [2, 'ip', 'client-ip', '2001:db8:bad::66']]);
  });

  test('time: local time as Exim writes it, with milliseconds, or with the zone log_timezone adds', () => {
    const reader = createLogLineReader('exim');
    expect(reader.time('2026-12-06 10:04:17.311 [2201] 1tKa6X-000Q5k-2B Completed', 0)).toBe(new Date(2026, 11, 6, 10, 4, 17, 311).getTime());
    expect(reader.time('2026-12-06 10:04:17 +0100 1tKa6X-000Q5k-2B Completed', 0)).toBe(Date.UTC(2026, 11, 6, 9, 4, 17));
    expect(reader.time('2026-12-06 10:04:17 -0130 1tKa6X-000Q5k-2B Completed', 0)).toBe(Date.UTC(2026, 11, 6, 11, 34, 17));
  });
});

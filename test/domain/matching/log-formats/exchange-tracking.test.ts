import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import { fixtureLines, readFixture, readLines, type Row } from './fixture-reading';

describe('Exchange message tracking CSV', () => {
  test('the fixture: header lines, then rows read by the #Fields: columns (quoted cells, doubled quotes, <>)', () => {
    const { rows, formats } = readFixture('exchange', 'exchange-tracking.csv');
    expect(rows).toEqual<Row[]>([
      [6, 'ip', 'client-ip', '203.0.113.66'],
      [6, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      [6, 'email', 'sender-address', 'billing@invoice-portal.example'],
      [6, 'email', 'return-path', 'billing@invoice-portal.example'],
      [6, 'ip', 'original-client-ip', '203.0.113.66'],
      [7, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      [7, 'email', 'sender-address', 'billing@invoice-portal.example'],
      [7, 'email', 'return-path', 'billing@invoice-portal.example'],
      [8, 'ip', 'client-ip', '198.51.101.23'],
      [8, 'subject', 'subject', 'Re: Invoice 2026-1183, "final" notice'],
      [8, 'email', 'sender-address', 'payroll@invoice-portal.example'],
      [8, 'email', 'return-path', 'bounce@invoice-portal.example.org'],
      [8, 'ip', 'original-client-ip', '198.51.101.23'],
      [9, 'ip', 'client-ip', '2001:db8:bad::66'],
      [9, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      [9, 'email', 'sender-address', 'ceo@phish-mail.example'],
      [9, 'email', 'return-path', 'ceo@phish-mail.example'],
      [9, 'ip', 'original-client-ip', '198.51.100.23'],
      [10, 'subject', 'subject', 'Undeliverable: Weekly report'],
      [10, 'email', 'sender-address', 'MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@corp.example'],
    ]);
    expect(formats.every((format) => format === 'exchange')).toBe(true);
  });

  test('a file with a byte order mark and CRLF line ends reads the same', () => {
    const lines = fixtureLines('exchange-tracking.csv').map((line) => `${line}\r`);
    lines[0] = `\ufeff${lines[0] ?? ''}`;
    expect(readLines('exchange', lines)).toEqual(readFixture('exchange', 'exchange-tracking.csv'));
    expect(readLines('auto', lines).rows).toEqual(readFixture('exchange', 'exchange-tracking.csv').rows);
  });

  test('a #Fields: row with other columns decides how later rows read', () => {
    const { rows } = readLines('exchange', [
      '#Fields: date-time,sender-address,message-subject,client-ip',
      '2026-12-06T09:00:01.204Z,ceo@phish-mail.example,"Hello, world",198.51.100.23',
    ]);
    expect(rows).toEqual<Row[]>([
      [2, 'email', 'sender-address', 'ceo@phish-mail.example'],
      [2, 'subject', 'subject', 'Hello, world'],
      [2, 'ip', 'client-ip', '198.51.100.23'],
    ]);
  });

  test('a Get-MessageTrackingLog | Export-Csv file reads by its quoted header', () => {
    const { rows, formats } = readLines('exchange', [
      '#TYPE Microsoft.Exchange.Management.TransportLogSearchTasks.MessageTrackingEvent',
      '"Timestamp","ClientIp","ClientHostname","EventId","Sender","MessageSubject","ReturnPath","OriginalClientIp"',
      '"12/6/2026 10:00:01 AM","203.0.113.66","mail.invoice-portal.example","RECEIVE","billing@invoice-portal.example","Invoice 2026-1182 overdue","billing@invoice-portal.example",""',
    ]);
    expect(formats).toEqual(['exchange', 'exchange', 'exchange']);
    expect(rows).toEqual<Row[]>([
      [3, 'ip', 'client-ip', '203.0.113.66'],
      [3, 'email', 'sender-address', 'billing@invoice-portal.example'],
      [3, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      [3, 'email', 'return-path', 'billing@invoice-portal.example'],
    ]);
  });

  test('time: the date-time column', () => {
    const reader = createLogLineReader('exchange');
    const row = '2026-12-06T09:07:40.090Z,198.51.101.23,mx.partner.example';
    expect(reader.time(row, 0)).toBe(Date.UTC(2026, 11, 6, 9, 7, 40, 90));
  });
});

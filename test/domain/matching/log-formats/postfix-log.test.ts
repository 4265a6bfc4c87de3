import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import { readFixture, readLines, type Row } from './fixture-reading';

describe('Postfix lines: client, envelope sender and the headers header_checks logged', () => {
  test('a log with subjects: smtpd, postscreen, qmgr, cleanup header_checks and mime_header_checks', () => {
    const { rows, formats } = readFixture('postfix', 'postfix-with-subjects.log');
    expect(rows).toEqual<Row[]>([
      [1, 'ip', 'client-ip', '203.0.113.66'],
      [3, 'ip', 'client-ip', '203.0.113.66'],
      [4, 'ip', 'client-ip', '203.0.113.66'],
      [6, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      [7, 'email', 'header-from', 'billing@invoice-portal.example'],
      [8, 'filename', 'attachment-name', 'Invoice_2026-1182.pdf.exe'],
      [9, 'email', 'envelope-from', 'billing@invoice-portal.example'],
      [13, 'ip', 'client-ip', '198.51.100.23'],
      [14, 'ip', 'client-ip', '198.51.100.23'],
      [15, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
      [16, 'filename', 'attachment-name', 'Invoice_2026-1182.pdf'],
      [17, 'email', 'envelope-from', 'ceo@phish-mail.example'],
      [19, 'ip', 'client-ip', '198.51.101.23'],
      [20, 'ip', 'client-ip', '198.51.101.23'],
      [21, 'subject', 'subject', 'Invoice 2026-1183 overdue'],
      [22, 'email', 'header-from', 'payroll@invoice-portal.example'],
      [23, 'email', 'envelope-from', 'payroll@invoice-portal.example'],
      [24, 'ip', 'client-ip', '2001:db8:bad::66'],
      [25, 'ip', 'client-ip', '2001:db8:bad::66'],
      [25, 'email', 'envelope-from', 'ceo@notphish-mail.example'],
      [28, 'subject', 'subject', 'Cron <root@mx1> run-parts /etc/cron.daily'],
    ]);
    // Every postfix line is read as postfix, even those naming nothing to match; opendkim's is not.
    expect(formats.slice(0, 28).every((format) => format === 'postfix')).toBe(true);
    expect(formats[28]).toBeUndefined();
  });

  test('a log without subjects, in RFC 3339 and RFC 5424 syslog, with a second Postfix instance', () => {
    const { rows, formats } = readFixture('postfix', 'postfix-plain.log');
    expect(rows).toEqual<Row[]>([
      [1, 'ip', 'client-ip', '203.0.113.66'],
      [2, 'ip', 'client-ip', '203.0.113.66'],
      [4, 'email', 'envelope-from', 'billing@invoice-portal.example'],
      [7, 'ip', 'client-ip', '203.0.113.67'],
      [8, 'ip', 'client-ip', '203.0.113.67'],
      [8, 'email', 'envelope-from', 'billing@invoice-portal.example.org'],
      [10, 'ip', 'client-ip', '198.51.100.200'],
      [11, 'ip', 'client-ip', '198.51.100.200'],
      [12, 'email', 'envelope-from', 'ceo@phish-mail.example'],
    ]);
    expect(formats[12]).toBeUndefined();
  });

  test('a header value is cut at the client, not at a " from " inside it; a From without a name is the address', () => {
    const { rows } = readLines('postfix', [
      'Dec  6 10:00:01 mx1 postfix/cleanup[1]: 4QXk2T0Zb7z9sWq: warning: header Subject: A letter from the board from mx.example[192.0.2.1]; from=<a@example.org> to=<b@example.org> proto=ESMTP helo=<mx.example>',
      'Dec  6 10:00:01 mx1 postfix/cleanup[1]: 4QXk2T0Zb7z9sWq: reject: header From: ceo@phish-mail.example from mx.example[192.0.2.1]; from=<a@example.org> to=<b@example.org> proto=ESMTP helo=<mx.example>: 5.7.1 forged',
      "Dec  6 10:00:01 mx1 postfix/cleanup[1]: 4QXk2T0Zb7z9sWq: warning: header Content-Disposition: attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.zip from mx.example[192.0.2.1]; from=<a@example.org> to=<b@example.org>",
      'Dec  6 10:00:01 mx1 postfix/cleanup[1]: 4QXk2T0Zb7z9sWq: warning: header Subject: =?ISO-8859-1?Q?Rechnung_f=FCr_M=E4rz?= from mx.example[192.0.2.1]; from=<a@example.org> to=<b@example.org>',
    ]);
    expect(rows).toEqual<Row[]>([
      [1, 'subject', 'subject', 'A letter from the board'],
      [2, 'email', 'header-from', 'ceo@phish-mail.example'],
      [3, 'filename', 'attachment-name', 'Rechnung März.zip'],
      [4, 'subject', 'subject', 'Rechnung für März'],
    ]);
  });

  test('time: classic syslog in the year that puts it at or before now; RFC 3339 and RFC 5424 as written', () => {
    const reader = createLogLineReader('postfix');
    const classic = 'Dec  6 10:00:01 mx1 postfix/smtpd[2102]: connect from unknown[198.51.100.23]';
    reader.read(classic, () => undefined);
    expect(reader.time(classic, new Date(2026, 11, 6, 12).getTime())).toBe(new Date(2026, 11, 6, 10, 0, 1).getTime());
    expect(reader.time(classic, new Date(2027, 0, 2).getTime())).toBe(new Date(2026, 11, 6, 10, 0, 1).getTime());
    expect(reader.time(classic, new Date(2027, 11, 1).getTime())).toBe(new Date(2026, 11, 6, 10, 0, 1).getTime());
    const iso = '2026-12-06T10:00:01.118204+01:00 mx2 postfix/smtpd[3301]: connect from unknown[203.0.113.66]';
    expect(reader.time(iso, 0)).toBe(Date.UTC(2026, 11, 6, 9, 0, 1, 118));
    const rfc5424 = '<22>1 2026-12-06T09:05:10.004Z mx2 postfix/smtpd 3320 - - connect from unknown[198.51.100.200]';
    expect(reader.time(rfc5424, 0)).toBe(Date.UTC(2026, 11, 6, 9, 5, 10, 4));
  });
});

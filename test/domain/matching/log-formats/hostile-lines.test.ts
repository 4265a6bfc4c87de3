import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import { LOG_FORMATS, type LogFormat } from '../../../../src/domain/matching/match-types';
import { fixtureLines } from './fixture-reading';

/** Lines no log should hold but an input may: none of them may throw or hang a reader. */
function hostileLines(): string[] {
  const binary = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
  const huge = 'A'.repeat(2_000_000);
  return [
    '',
    ' ',
    '\u0000\u0001\u0002',
    binary,
    huge,
    `Dec  6 10:00:01 mx1 postfix/smtpd[1]: connect from ${'x['.repeat(100_000)}`,
    'Dec  6 10:00:01',
    'Dec  6 10:00:01 mx1 postfix/cleanup[1]: 4QXk2T0Zb7z9sWq: warning: header Subject: ',
    'Dec  6 10:00:01 mx1 postfix/cleanup[1]: 4QXk2T0Zb7z9sWq: warning: header Content-Type: x; name="unterminated',
    'Dec  6 10:00:01 mx1 postfix/qmgr[1]: 4QXk2T0Zb7z9sWq: from=<unterminated',
    'Dec  6 10:00:01 mx1 postfix/smtpd[1]: 4QXk2T0Zb7z9sWq: client=unknown[192.0.2.1',
    'Dec 66 99:99:99 mx1 postfix/smtpd[1]: connect from unknown[192.0.2.1]',
    '<22>1 ',
    '<22>1 2026-12-06T09:05:10.004Z mx2 postfix/smtpd 3320 - [unterminated sd="]',
    '2026-12-06T',
    '2026-12-06 10:00:01 1tKa2b-000Q3x-7H <= a@b.example H=(x) [192.0.2.1 T="unterminated \\',
    '2026-12-06 10:00:01 1tKa2b-000Q3x-7H',
    '2026-12-06T09:00:01.204Z,"unterminated,quote',
    '#Fields: ',
    '#Fields: date-time,client-ip',
    '2026-12-06T09:00:01.204Z,"a""b',
    '1796551201.118',
    '1796551201.118 ',
    '1796551201.118    412 192.0.2.41 TCP_MISS/200',
    '1796551201.118    412 192.0.2.41 TCP_MISS/200 48211 CONNECT',
    '192.0.2.41 - - [06/Dec/2026:10:00:01 +0100] "GET /unterminated',
    '192.0.2.41 - - [06/Dec/2026:10:00:01 +0100] "',
    '192.0.2.41 - - [99/Xyz/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 1 "-" "-"',
    'www.example:443 192.0.2.41 - - [06/Dec/2026:10:00:01 +0100] "CONNECT',
    '#separator',
    '#separator \\x09',
    '#fields\tts\tid.orig_h\tanswers',
    '1796547601.1\t192.0.2.1',
    '1796547601.1\t\t\t\t\t',
    'x\ty',
    'IN= SRC=',
    'IN=eth0 SRC= DST=',
    '{',
    '{"source":',
    '{"source":{"ip":["192.0.2.1",{"x":1},null,7]}}',
    '{"email":{"attachments":"not an array"},"url":null}',
    '{"uid":"C1","ts":"not a time","answers":[1,2]}',
    '[]',
    'null',
    '=?UTF-8?B?!!!?=',
  ];
}

describe('hostile lines: no reader throws, whatever it is given', () => {
  const lines = hostileLines();
  test.each([...LOG_FORMATS, 'auto'] as (LogFormat | 'auto')[])('%s', (format) => {
    const reader = createLogLineReader(format);
    const observed: string[] = [];
    for (const line of lines) {
      expect(() => reader.read(line, (_kind, _field, raw) => observed.push(raw))).not.toThrow();
      expect(() => reader.time(line, Date.UTC(2026, 11, 7))).not.toThrow();
    }
    // Values are cut from the line: none is longer than the line they came from.
    expect(observed.every((raw) => raw.length <= 2_000_000)).toBe(true);
  });

  test('after hostile lines a reader still reads its format', () => {
    const reader = createLogLineReader('auto');
    for (const line of lines) reader.read(line, () => undefined);
    const squid = fixtureLines('squid-access.log')[0] ?? '';
    const observed: string[] = [];
    expect(reader.read(squid, (_kind, _field, raw) => observed.push(raw))).toBe('squid');
    expect(observed).toContain('http://downloads.bad-updates.example/payload/update.exe');
  });
});

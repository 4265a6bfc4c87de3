import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import { readFixture, type Row } from './fixture-reading';

describe('nginx and Apache access logs: client, URL with a virtual host, absolute targets, CONNECT, referer', () => {
  test('nginx combined, with and without $host in front', () => {
    const { rows, formats } = readFixture('nginx', 'nginx-combined.log');
    expect(rows).toEqual<Row[]>([
      // A path without a host is no URL: a shared URL is not matched by its path alone.
      [1, 'ip', 'client-ip', '192.0.2.41'],
      [2, 'ip', 'client-ip', '198.51.100.23'],
      [2, 'url', 'referer', 'http://img.evil-cdn.example/landing'],
      [3, 'ip', 'client-ip', '203.0.113.67'],
      [3, 'url', 'referer', 'https://notevil-cdn.example/'],
      [4, 'ip', 'client-ip', '2001:db8:bad::66'],
      [4, 'url', 'url', 'http://downloads.bad-updates.example/payload/update.exe'],
      [5, 'ip', 'client-ip', '192.0.2.44'],
      [5, 'host', 'url', 'static.evil-cdn.example'],
      [6, 'ip', 'client-ip', '192.0.2.45'],
      [6, 'url', 'url', 'http://www.corp.example/payload/update.exe'],
      [7, 'ip', 'client-ip', '192.0.2.46'],
      [7, 'url', 'url', 'http://downloads.bad-updates.example/payload/update.exe'],
      [8, 'ip', 'client-ip', '192.0.2.46'],
      [8, 'url', 'url', 'http://downloads.bad-updates.example/payload/readme.txt'],
      [9, 'ip', 'client-ip', '192.0.2.47'],
    ]);
    expect(formats.every((format) => format === 'nginx')).toBe(true);
  });

  test('Apache vhost_combined (port 443 makes https), combined and common', () => {
    const { rows } = readFixture('apache', 'apache-combined.log');
    expect(rows).toEqual<Row[]>([
      [1, 'ip', 'client-ip', '203.0.113.66'],
      [1, 'url', 'url', 'https://www.corp.example/index.html'],
      [1, 'url', 'referer', 'https://www.corp.example/'],
      [2, 'ip', 'client-ip', '198.51.100.23'],
      [2, 'url', 'url', 'http://downloads.bad-updates.example/payload/update.exe'],
      [3, 'ip', 'client-ip', '192.0.2.50'],
      [4, 'ip', 'client-ip', '198.51.101.23'],
      [4, 'url', 'referer', 'http://www.evil-cdn.example/mail'],
    ]);
  });

  test('time: [06/Dec/2026:10:00:01 +0100] with its zone', () => {
    const reader = createLogLineReader('nginx');
    expect(reader.time('192.0.2.41 - - [06/Dec/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 1 "-" "-"', 0)).toBe(Date.UTC(2026, 11, 6, 9, 0, 1));
    expect(reader.time('192.0.2.41 - - [31/Jan/2027:23:30:00 -0930] "GET / HTTP/1.1" 200 1 "-" "-"', 0)).toBe(Date.UTC(2027, 1, 1, 9, 0, 0));
  });
});

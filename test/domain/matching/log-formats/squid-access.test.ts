import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import { readFixture, type Row } from './fixture-reading';

describe('Squid native access.log: client, URL (a CONNECT host), peer', () => {
  test('the fixture', () => {
    const { rows, formats } = readFixture('squid', 'squid-access.log');
    expect(rows).toEqual<Row[]>([
      [1, 'ip', 'client-ip', '192.0.2.41'],
      [1, 'url', 'url', 'http://downloads.bad-updates.example/payload/update.exe'],
      [1, 'ip', 'destination-ip', '203.0.113.80'],
      [2, 'ip', 'client-ip', '192.0.2.41'],
      [2, 'url', 'url', 'http://downloads.bad-updates.example/payload/readme.txt'],
      [2, 'ip', 'destination-ip', '203.0.113.80'],
      [3, 'ip', 'client-ip', '192.0.2.42'],
      [3, 'url', 'url', 'http://img.evil-cdn.example/banner.gif'],
      [3, 'ip', 'destination-ip', '198.51.100.80'],
      [4, 'ip', 'client-ip', '192.0.2.42'],
      [4, 'host', 'url', 'static.evil-cdn.example'],
      [4, 'ip', 'destination-ip', '198.51.100.81'],
      [5, 'ip', 'client-ip', '192.0.2.43'],
      [5, 'url', 'url', 'http://notevil-cdn.example/index.html'],
      [5, 'ip', 'destination-ip', '203.0.113.90'],
      [6, 'ip', 'client-ip', '192.0.2.43'],
      [6, 'url', 'url', 'http://evil-cdn.example.net/'],
      [6, 'ip', 'destination-ip', '203.0.113.91'],
      [7, 'ip', 'client-ip', '192.0.2.44'],
      [7, 'url', 'url', 'http://www.example.com/'],
      [8, 'ip', 'client-ip', '192.0.2.44'],
      [8, 'url', 'url', 'http://www.example.com/logo.png'],
      [9, 'ip', 'client-ip', '192.0.2.45'],
      [9, 'ip', 'url', '2001:db8:bad::66'],
      [9, 'ip', 'destination-ip', '2001:db8:bad::66'],
      [10, 'ip', 'client-ip', '192.0.2.46'],
      [11, 'ip', 'client-ip', '2001:db8:1::46'],
      [11, 'url', 'url', 'http://cdn.partner.example/lib.js'],
      [11, 'host', 'destination-host', 'proxy-parent.corp.example'],
    ]);
    expect(formats.every((format) => format === 'squid')).toBe(true);
  });

  test('time: the Unix seconds the line starts with, in milliseconds', () => {
    const reader = createLogLineReader('squid');
    expect(reader.time('1796551201.118    412 192.0.2.41 TCP_MISS/200 48211 GET http://a.example/ - HIER_DIRECT/203.0.113.80 -', 0)).toBe(1796551201118);
  });
});

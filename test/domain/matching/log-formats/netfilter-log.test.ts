import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import { readFixture, type Row } from './fixture-reading';

describe('iptables and nftables kernel log lines: SRC= and DST=', () => {
  test('iptables behind classic syslog, IPv6 written in full; an sshd line is not one', () => {
    const { rows, formats } = readFixture('iptables', 'iptables.log');
    expect(rows).toEqual<Row[]>([
      [1, 'ip', 'source-ip', '203.0.113.66'],
      [1, 'ip', 'destination-ip', '192.0.2.10'],
      [2, 'ip', 'source-ip', '192.0.2.41'],
      [2, 'ip', 'destination-ip', '198.51.100.23'],
      [3, 'ip', 'source-ip', '2001:0db8:0bad:0000:0000:0000:0000:0066'],
      [3, 'ip', 'destination-ip', '2001:0db8:0001:0000:0000:0000:0000:0046'],
      [4, 'ip', 'source-ip', '198.51.101.23'],
      [4, 'ip', 'destination-ip', '192.0.2.10'],
    ]);
    expect(formats).toEqual(['iptables', 'iptables', 'iptables', 'iptables', undefined]);
  });

  test('nftables behind journalctl short-iso and from dmesg', () => {
    const { rows } = readFixture('nftables', 'nftables.log');
    expect(rows).toEqual<Row[]>([
      [1, 'ip', 'source-ip', '198.51.100.200'],
      [1, 'ip', 'destination-ip', '192.0.2.11'],
      [2, 'ip', 'source-ip', '192.0.2.11'],
      [2, 'ip', 'destination-ip', '203.0.113.66'],
      [3, 'ip', 'source-ip', '2001:0db8:0bad:0000:0000:0000:0000:0067'],
      [3, 'ip', 'destination-ip', '2001:0db8:0001:0000:0000:0000:0000:0046'],
      [4, 'ip', 'source-ip', '198.51.101.200'],
      [4, 'ip', 'destination-ip', '192.0.2.11'],
    ]);
  });

  test('time: the syslog prefix; none for a dmesg line (its time is the uptime)', () => {
    const reader = createLogLineReader('nftables');
    expect(reader.time('2026-12-06T10:10:00+0100 fw2 kernel: nft-drop-in: IN=enp1s0 OUT= SRC=198.51.100.200 DST=192.0.2.11', 0)).toBe(Date.UTC(2026, 11, 6, 9, 10));
    expect(reader.time('[813000.123456] nft-drop-in: IN=enp1s0 OUT= SRC=198.51.101.200 DST=192.0.2.11', 0)).toBeUndefined();
  });
});

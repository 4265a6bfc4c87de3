import { createLogLineReader } from '../../../../src/domain/matching/log-formats';
import { fixtureLines, readLines } from './fixture-reading';

describe("'auto': each line read as the format it is", () => {
  test('Postfix and Squid lines interleaved, with lines of no known format between them', () => {
    const postfix = fixtureLines('postfix-with-subjects.log');
    const plain = fixtureLines('postfix-plain.log');
    const squid = fixtureLines('squid-access.log');
    const lines = [postfix[2], squid[0], 'a line of no format at all', plain[9], plain[0], squid[3], postfix[5], ''].map(String);
    const { rows, formats } = readLines('auto', lines);
    expect(formats).toEqual(['postfix', 'squid', undefined, 'postfix', 'postfix', 'squid', 'postfix', undefined]);
    expect(rows.filter(([, kind]) => kind !== 'ip')).toEqual([
      [2, 'url', 'url', 'http://downloads.bad-updates.example/payload/update.exe'],
      [6, 'host', 'url', 'static.evil-cdn.example'],
      [7, 'subject', 'subject', 'Invoice 2026-1182 overdue'],
    ]);
  });

  const FIXTURES = [
    ['postfix', 'postfix-with-subjects.log'], ['postfix', 'postfix-plain.log'], ['exim', 'exim-main.log'],
    ['exchange', 'exchange-tracking.csv'], ['squid', 'squid-access.log'], ['nginx', 'nginx-combined.log'],
    ['apache', 'apache-combined.log'], ['zeek', 'zeek-conn.log'], ['zeek', 'zeek-dns.log'], ['zeek', 'zeek-http.log'],
    ['zeek', 'zeek-smtp.log'], ['zeek', 'zeek-files.log'], ['iptables', 'iptables.log'], ['nftables', 'nftables.log'],
    ['ecs', 'ecs.ndjson'], ['values', 'values.txt'],
  ] as const;

  test.each(FIXTURES)('%s: %s gives in auto what it gives with its format named', (format, name) => {
    const lines = fixtureLines(name);
    expect(readLines('auto', lines).rows).toEqual(readLines(format, lines).rows);
  });

  test('all fixtures one after the other in one input: every observation as with the format named', () => {
    const expected = FIXTURES.flatMap(([format, name]) => readLines(format, fixtureLines(name)).rows.map(([, ...rest]) => rest));
    const all = FIXTURES.flatMap(([, name]) => fixtureLines(name));
    expect(readLines('auto', all).rows.map(([, ...rest]) => rest)).toEqual(expected);
  });

  test('formats auto names: Apache only when a virtual host with its port is in front; nftables lines as iptables', () => {
    expect(readLines('auto', fixtureLines('apache-combined.log')).formats).toEqual(['apache', 'apache', 'nginx', 'nginx']);
    expect(readLines('auto', fixtureLines('nftables.log')).formats).toEqual(['iptables', 'iptables', 'iptables', 'iptables']);
    expect(readLines('auto', fixtureLines('zeek-dns.log')).formats.every((format) => format === 'zeek')).toBe(true);
    expect(readLines('auto', fixtureLines('exchange-tracking.csv')).formats.every((format) => format === 'exchange')).toBe(true);
  });

  test('time is read as the format the line was just read as', () => {
    const reader = createLogLineReader('auto');
    const squid = fixtureLines('squid-access.log')[0] ?? '';
    const postfix = fixtureLines('postfix-plain.log')[0] ?? '';
    reader.read(squid, () => undefined);
    expect(reader.time(squid, 0)).toBe(1796551201118);
    reader.read(postfix, () => undefined);
    expect(reader.time(postfix, 0)).toBe(Date.UTC(2026, 11, 6, 9, 0, 1, 118));
  });
});

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

  test('a whole fixture reads the same in auto as with its format named', () => {
    for (const [format, name] of [['postfix', 'postfix-with-subjects.log'], ['postfix', 'postfix-plain.log'], ['squid', 'squid-access.log']] as const) {
      const lines = fixtureLines(name);
      expect(readLines('auto', lines)).toEqual(readLines(format, lines));
    }
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

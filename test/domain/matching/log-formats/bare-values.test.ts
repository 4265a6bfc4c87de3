import { readFixture, readLines, type Row } from './fixture-reading';

describe("'values': one bare value per line", () => {
  test('the fixture: addresses, hosts, URLs, e-mail addresses, hashes; a subject is not guessed at', () => {
    const { rows, formats } = readFixture('values', 'values.txt');
    expect(rows.map(([line, kind]) => [line, kind])).toEqual([
      [1, 'ip'], [2, 'ip'], [3, 'ip'], [4, 'ip'], [5, 'host'], [6, 'host'], [7, 'host'], [8, 'url'], [9, 'url'],
      [10, 'email'], [11, 'email'], [12, 'hash'], [13, 'hash'],
    ]);
    expect(rows.every(([, , field]) => field === 'value')).toBe(true);
    expect(formats[13]).toBeUndefined();
  });

  test('whitespace around a value is dropped; words, numbers and odd lengths of hex are nothing', () => {
    const { rows } = readLines('values', ['  evil-cdn.example.  ', '[2001:db8::1]', 'hello', '12345', 'abcdef0123', 'a@b', '-', '']);
    expect(rows).toEqual<Row[]>([[1, 'host', 'value', 'evil-cdn.example.'], [2, 'ip', 'value', '[2001:db8::1]']]);
  });
});

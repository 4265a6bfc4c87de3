import { feedRenderer, type FeedChange } from '../../../src/domain/feeds';
import { csvField } from '../../../src/domain/feeds/csv-feed';
import { CONTEXT, entryOf, hostileEntries, rawHostileEntries } from './feed-fixtures';

/** CSV and text feeds: read back with a strict RFC 4180 reader, safe to open in a spreadsheet. */

const CSV = feedRenderer('csv');
const TEXT = feedRenderer('text');

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes, no stray quote. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i += 1;
            break;
          }
        } else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`a quote inside an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') i += 1;
    else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else throw new Error(`expected , or CRLF at ${i}, found ${JSON.stringify(text[i])}`);
  }
  if (record.length > 0) throw new Error('the last record has no CRLF');
  return records;
}

/** What a program reading the feed does to get a value back (docs/feeds.md). */
const unprotect = (field: string): string => (/^'+[=+\-@\t\r]/.test(field) ? field.slice(1) : field);

describe('csv feed', () => {
  test('a header and one record per entry with every column', () => {
    const entry = entryOf({ kind: 'file-hash', value: 'D41D8CD98F00B204E9800998ECF8427E', algorithm: 'MD5' }, { campaigns: ['Op One', 'Op, Two'] });
    expect(readCsv(CSV.render([entry], CONTEXT))).toEqual([
      ['value', 'kind', 'algorithm', 'confidence', 'valid_until', 'tlp', 'campaign', 'indicator_id', 'version'],
      ['d41d8cd98f00b204e9800998ecf8427e', 'file-hash', 'MD5', '80', '2027-01-01T00:00:00.000Z', 'amber', 'Op One; Op, Two', entry.indicatorId, '2026-02-03T04:05:06.123456Z'],
    ]);
  });

  test('absent confidence and valid_until are empty fields', () => {
    const { confidence: _c, validUntil: _v, ...entry } = entryOf({ kind: 'c2-ip', value: '198.51.100.7' });
    expect(readCsv(CSV.render([entry], CONTEXT))[1]?.slice(3, 5)).toEqual(['', '']);
  });

  test('the hostile set reads back value for value; no field starts a formula', () => {
    const entries = hostileEntries();
    const records = readCsv(CSV.render(entries, CONTEXT));
    expect(records).toHaveLength(entries.length + 1);
    for (const record of records.slice(1)) {
      expect(record).toHaveLength(9);
      for (const field of record) expect(field).not.toMatch(/^[=+\-@\t\r]/);
      const entry = entries.find((e) => e.indicatorId === record[7]);
      expect(unprotect(record[0] as string)).toBe(entry?.value);
    }
  });

  test.each([
    ['=1+1', `"'=1+1"`],
    ['+1', `"'+1"`],
    ['-1', `"'-1"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tx', `"'\tx"`],
    ["'=x", `"''=x"`],
    ["'x", "'x"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['plain', 'plain'],
  ])('the field %j is written %s and reads back', (value, written) => {
    expect(csvField(value)).toBe(written);
    expect(unprotect(readCsv(`${csvField(value)}\r\n`)[0]?.[0] as string)).toBe(value);
  });

  test('entries a caller did not normalise read back value for value', () => {
    const entries = rawHostileEntries();
    const records = readCsv(CSV.render(entries, CONTEXT));
    expect(records.slice(1).map((record) => unprotect(record[0] as string)).sort()).toEqual(entries.map((entry) => entry.value).sort());
    expect(records.slice(1).every((record) => record[6] === 'x\ny; a"b')).toBe(true);
  });

  test('the delta form: op and reason first; a removal with its value when known, else only the indicator id', () => {
    const added = entryOf({ kind: 'c2-hostname', value: 'c2.example' });
    const revoked = entryOf({ kind: 'c2-ip', value: '198.51.100.7' });
    const changes: FeedChange[] = [
      { op: 'add', indicatorId: added.indicatorId, entry: added },
      { op: 'remove', indicatorId: revoked.indicatorId, reason: 'revoked', entry: revoked },
      { op: 'remove', indicatorId: 'indicator--00000000-0000-4000-8000-0000000000ff', reason: 'access-lost' },
    ];
    expect(CSV.supportsDelta).toBe(true);
    expect(readCsv(CSV.renderDelta?.(changes, CONTEXT) ?? '')).toEqual([
      ['op', 'reason', 'value', 'kind', 'algorithm', 'confidence', 'valid_until', 'tlp', 'campaign', 'indicator_id', 'version'],
      ['add', '', 'c2.example', 'c2-hostname', '', '80', '2027-01-01T00:00:00.000Z', 'amber', '', added.indicatorId, '2026-02-03T04:05:06.123456Z'],
      ['remove', 'revoked', '198.51.100.7', 'c2-ip', '', '80', '2027-01-01T00:00:00.000Z', 'amber', '', revoked.indicatorId, '2026-02-03T04:05:06.123456Z'],
      ['remove', 'access-lost', '', '', '', '', '', '', '', 'indicator--00000000-0000-4000-8000-0000000000ff', ''],
    ]);
  });
});

describe('text feed', () => {
  test('one value per line, each once, in the order given, for the kind asked', () => {
    const entries = [
      entryOf({ kind: 'c2-ip', value: '198.51.100.9' }),
      entryOf({ kind: 'c2-ip', value: '198.51.100.7' }),
      entryOf({ kind: 'c2-ip', value: '198.51.100.7' }),
      entryOf({ kind: 'c2-hostname', value: 'c2.example' }),
    ];
    expect(TEXT.render(entries, { ...CONTEXT, kind: 'c2-ip' })).toBe('198.51.100.9\n198.51.100.7\n');
    expect(TEXT.render(entries, { ...CONTEXT, kind: 'url' })).toBe('');
  });

  test('file hashes of one algorithm make a Suricata hash list', () => {
    const hashes = hostileEntries().filter((entry) => entry.kind === 'file-hash');
    expect(TEXT.render(hashes, { ...CONTEXT, kind: 'file-hash', algorithm: 'MD5' })).toBe('d41d8cd98f00b204e9800998ecf8427e\n');
  });

  test('a value that would span two lines or is empty is left out', () => {
    const lines = TEXT.render(rawHostileEntries(), { ...CONTEXT, kind: 'url' }).split('\n').slice(0, -1);
    expect(lines).toHaveLength(12); // 16 values less the empty one and three with a line break
    expect(lines).not.toContain('');
  });

  test('every kind when none is named; a value never spans two lines', () => {
    const entries = [...hostileEntries(), { ...entryOf({ kind: 'email-subject', value: 'x' }), value: 'two\nlines' }];
    const lines = TEXT.render(entries, CONTEXT).split('\n').slice(0, -1);
    expect(lines).toHaveLength(new Set(hostileEntries().map((e) => e.value)).size);
    expect(lines).not.toContain('two');
  });
});

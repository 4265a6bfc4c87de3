import zlib from 'node:zlib';
import { forEachLine, gunzipIfCompressed, textOnly } from '../../../src/cli/match/line-source';

/** How `taxii-hub match` cuts its inputs into lines: chunk boundaries, line endings, gzip. */

async function* chunksOf(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part, 'utf8');
}

async function linesOf(chunks: AsyncIterable<Buffer>): Promise<string[]> {
  const lines: string[] = [];
  await forEachLine(chunks, (line) => lines.push(line));
  return lines;
}

test('lines split across chunks are joined, CRLF endings dropped, and a last line without a newline counts', async () => {
  expect(await linesOf(chunksOf('Dec  6 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]\r\nDec  6 mx1 po', 'stfix/smtpd[1]: connect', ' from b[192.0.2.2]\n\nlast'))).toEqual([
    'Dec  6 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]',
    'Dec  6 mx1 postfix/smtpd[1]: connect from b[192.0.2.2]',
    '',
    'last',
  ]);
});

test('a multi-byte character split between two chunks decodes whole, as does one inside a chunk', async () => {
  const bytes = Buffer.from('Subject: Überweisung fällig\nSubject: naïve café\n', 'utf8');
  const cut = bytes.indexOf(Buffer.from('Ü', 'utf8')) + 1; // between the two bytes of Ü
  expect(await linesOf(chunksOf(bytes.subarray(0, cut), bytes.subarray(cut)))).toEqual(['Subject: Überweisung fällig', 'Subject: naïve café']);
});

test('chunks of one byte each give the same lines as one chunk', async () => {
  const text = 'a\nbb\r\nccc\n';
  const oneByOne = [...Buffer.from(text)].map((b) => Buffer.from([b]));
  expect(await linesOf(chunksOf(...oneByOne))).toEqual(['a', 'bb', 'ccc']);
});

test('an empty input has no lines; a lone newline is one empty line', async () => {
  expect(await linesOf(chunksOf())).toEqual([]);
  expect(await linesOf(chunksOf('\n'))).toEqual(['']);
});

test('gzip input (even concatenated members, even cut into small chunks) is decompressed; anything else passes as it is', async () => {
  const gz = Buffer.concat([zlib.gzipSync('first member\nline two\n'), zlib.gzipSync('second member\n')]);
  const pieces = [gz.subarray(0, 1), gz.subarray(1, 7), gz.subarray(7)];
  expect(await linesOf(gunzipIfCompressed(chunksOf(...pieces)))).toEqual(['first member', 'line two', 'second member']);
  expect(await linesOf(gunzipIfCompressed(chunksOf('\x1fnot gzip\n')))).toEqual(['\x1fnot gzip']);
  expect(await linesOf(gunzipIfCompressed(chunksOf('x')))).toEqual(['x']);
});

test('a damaged gzip input fails the read with an error rather than ending quietly', async () => {
  const gz = zlib.gzipSync('a line\n'.repeat(1000));
  const damaged = Buffer.concat([gz.subarray(0, 20), Buffer.alloc(40, 0xff)]);
  await expect(linesOf(gunzipIfCompressed(chunksOf(damaged)))).rejects.toThrow();
});

test('an input with a NUL byte in its first bytes is binary: no line at all, and the caller told', async () => {
  let binary = 0;
  expect(await linesOf(textOnly(chunksOf(Buffer.from([0x41, 0x00, 0x0a]), 'more text\n'), () => (binary += 1)))).toEqual([]);
  expect(binary).toBe(1);
  // A NUL later in a text file does not make it binary.
  expect(await linesOf(textOnly(chunksOf('text\n', Buffer.from([0x00, 0x0a])), () => (binary += 1)))).toEqual(['text', '\u0000']);
  expect(binary).toBe(1);
});

import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * The bytes of one input as large chunks (a file read 1 MiB at a time, standard input as it comes),
 * decompressed when they start with the gzip magic number (a rotated `mail.log.2.gz`, or `cat x.gz |`),
 * and their lines. `readline` is not used: it costs more per line than the whole match of a line, and
 * the target is a million lines a second on one core.
 */

export const READ_CHUNK_BYTES = 1 << 20;
/** A "line" longer than this (a binary file in a log folder) is cut here rather than held in memory whole. */
export const MAX_LINE_BYTES = 1 << 24;

const NEWLINE = 0x0a;

/**
 * A file's or standard input's raw chunks; `onBytes` counts them as read from the disk (compressed),
 * for progress. A binary input (wtmp, lastlog, a UTF-16 file in a log folder) gives no chunk at all
 * and `onBinary` is called.
 */
export function openChunks(path: string | undefined, onBytes: (bytes: number) => void, onBinary: () => void = () => {}): AsyncIterable<Buffer> {
  const raw: AsyncIterable<Buffer> = path === undefined ? process.stdin : fs.createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  return textOnly(gunzipIfCompressed(counted(raw, onBytes)), onBinary);
}

/** How far into an input a NUL byte makes it binary: text logs hold none (as grep judges). */
export const BINARY_PROBE_BYTES = 8192;

/** The chunks of a text input; nothing, and `onBinary` called, when its first bytes hold a NUL. */
export async function* textOnly(chunks: AsyncIterable<Buffer>, onBinary: () => void): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of chunks) {
    if (first && chunk.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
      onBinary();
      return;
    }
    first = false;
    yield chunk;
  }
}

async function* counted(source: AsyncIterable<Buffer>, onBytes: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onBytes(chunk.length);
    yield chunk;
  }
}

/** The chunks as they are, or gunzipped when the first two bytes are 1f 8b (concatenated members too). */
export async function* gunzipIfCompressed(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done === true) break;
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => iterator };
  if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) {
    if (head.length > 0) yield head;
    yield* rest;
    return;
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    yield* rest;
  }
  const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
  // pipeline (not pipe) so that a read error of the source ends the iteration below with that error.
  pipeline(Readable.from(all(), { objectMode: false }), gunzip, () => {});
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/**
 * Calls `onLine` for every line of the chunks, in order, without its line ending (LF or CRLF). A last
 * line without a newline counts. A line split between chunks is joined from its bytes, so a character
 * split between chunks decodes whole.
 */
export async function forEachLine(chunks: AsyncIterable<Buffer>, onLine: (line: string) => void): Promise<void> {
  let carry: Buffer | undefined;
  for await (const chunk of chunks) {
    let start = 0;
    if (carry !== undefined) {
      const first = chunk.indexOf(NEWLINE);
      if (first < 0) {
        carry = Buffer.concat([carry, chunk]);
        if (carry.length > MAX_LINE_BYTES) {
          emit(decode(carry, 0, carry.length), onLine);
          carry = undefined;
        }
        continue;
      }
      const joined = Buffer.concat([carry, chunk.subarray(0, first)]);
      emit(decode(joined, 0, joined.length), onLine);
      carry = undefined;
      start = first + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= start) {
      splitText(decode(chunk, start, last), onLine);
      start = last + 1;
    }
    // Copied: a stream may reuse its chunk's memory once we ask for the next one.
    if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
  }
  if (carry !== undefined && carry.length > 0) emit(decode(carry, 0, carry.length), onLine);
}

/**
 * UTF-8 text. Most logs are ASCII throughout, and Node decodes a run it knows to be ASCII an order of
 * magnitude faster than UTF-8 (measured: 1 MiB chunks of a Postfix log, 40-120 ms against 1-2 s per
 * 138 MB), so a chunk is checked first.
 */
function decode(bytes: Buffer, start: number, end: number): string {
  return isAscii(bytes.subarray(start, end)) ? bytes.toString('ascii', start, end) : bytes.toString('utf8', start, end);
}

/** The lines of a decoded run of whole lines (the text holds every line ending but the last). */
function splitText(text: string, onLine: (line: string) => void): void {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end < 0) {
      emit(text.slice(start), onLine);
      return;
    }
    emit(text.slice(start, end), onLine);
    start = end + 1;
  }
}

function emit(line: string, onLine: (line: string) => void): void {
  onLine(line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
}

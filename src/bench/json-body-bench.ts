import { performance } from 'node:perf_hooks';
import { decodeUtf8Body } from '../http/body/json-body';
import { scanJsonText } from '../http/body/json-text-scan';
import { nonFiniteNumberProblems } from '../validation/finite-numbers';
import { indicator } from './stix-validation-bench';

/**
 * The cost of reading a JSON body safely: a TAXII envelope of about 10 MB (indicators as in the
 * validation benchmark, a third with a description holding non-ASCII text, escaped quotes and a
 * surrogate pair escape), timed step by step (median of 9 runs after a warm-up): the fatal UTF-8
 * decode, the scan before parsing (depth, repeated keys, NUL and lone surrogates), JSON.parse, and
 * the per-object walk for numbers beyond a double.
 */

const TARGET_BYTES = 10 * 1024 * 1024;
const RUNS = 9;

function envelope(): Buffer {
  const objects: Record<string, unknown>[] = [];
  let size = 0;
  for (let i = 0; size < TARGET_BYTES; i++) {
    const object = indicator(i);
    if (i % 3 === 0) object.description = `Phishing wave ${i}: "Rechnung überfällig" from a look-alike domain \u{1F41F}, see C:\\Users\\victim\\Downloads`;
    objects.push(object);
    size += Buffer.byteLength(JSON.stringify(object)) + 1;
  }
  // JSON.stringify writes the fish as UTF-8; one object in ten gets the escaped form a client may send.
  const text = JSON.stringify({ objects }).replace(/\u{1F41F}/gu, (match, offset: number) => (offset % 10 === 0 ? '\\ud83d\\udc1f' : match));
  return Buffer.from(text);
}

function median(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
}

export function runJsonBodyBench(print: (line: string) => void): void {
  const body = envelope();
  const text = decodeUtf8Body(body);
  const parsed = JSON.parse(text) as { objects: unknown[] };
  const mb = body.length / (1024 * 1024);
  print(`JSON body reading: a TAXII envelope of ${mb.toFixed(1)} MB, ${parsed.objects.length.toLocaleString('en-US')} objects (median of ${RUNS})`);
  for (let i = 0; i < 3; i++) {
    if (!scanJsonText(text).ok) throw new Error('the benchmark body does not pass the scan');
    JSON.parse(text);
  }
  const rate = (ms: number) => `${ms.toFixed(1)} ms, ${Math.round(mb / (ms / 1000)).toLocaleString('en-US')} MB/s`;
  const decode = median(() => decodeUtf8Body(body));
  const scan = median(() => scanJsonText(text));
  const parse = median(() => JSON.parse(text));
  const walk = median(() => {
    for (const object of parsed.objects) nonFiniteNumberProblems(object);
  });
  print(`  UTF-8 decode (fatal): ${rate(decode)}`);
  print(`  scan (depth, repeated keys, NUL, lone surrogates): ${rate(scan)}`);
  print(`  JSON.parse: ${rate(parse)}`);
  print(`  numbers beyond a double, per object: ${walk.toFixed(1)} ms (${((walk * 1000) / parsed.objects.length).toFixed(2)} µs/object)`);
  print(`  the checks add ${Math.round(((scan + walk) / (decode + parse)) * 100)}% to decoding and parsing`);
}

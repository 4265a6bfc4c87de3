import { performance } from 'node:perf_hooks';
import { warningListsFor } from '../config/warning-list-files';
import type { IndicatorKind } from '../domain/indicators';

/**
 * Warning-list checks per second: sensor feeds check every indicator they export (a feed of a
 * million indicators must render in 3 s), so a check must cost well under a microsecond or two.
 * A mix of stored values of every checked kind, most of them on no list, as in a real feed.
 */

const VALUES: readonly (readonly [IndicatorKind, string])[] = [
  ['c2-ip', '185.220.101.4'],
  ['c2-ip', '10.20.30.40'],
  ['c2-ip', '45.33.32.0/24'],
  ['c2-ip', '2a00:1450:4001::1'],
  ['email-sender-ip', '203.0.113.9'],
  ['c2-hostname', 'c2.evil-example.net'],
  ['c2-hostname', 'www.google.com'],
  ['c2-hostname', 'update.login-microsoft.com'],
  ['url', 'https://evil-example.net/payload/dropper.php?id=42'],
  ['url', 'http://[2001:db8::1]:8080/x'],
  ['email-from', 'billing@invoices-example.net'],
  ['file-hash', 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'],
  ['file-hash', 'd41d8cd98f00b204e9800998ecf8427e'],
];

const ITERATIONS = 1_000_000;

export function runWarningListBench(print: (line: string) => void): void {
  const lists = warningListsFor();
  print(`Warning lists: ${VALUES.length} stored values of every checked kind, ${ITERATIONS.toLocaleString('en-US')} checks`);
  for (let i = 0; i < 100_000; i++) {
    const [kind, value] = VALUES[i % VALUES.length] as readonly [IndicatorKind, string];
    lists.check(kind, value);
  }
  let hits = 0;
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const [kind, value] = VALUES[i % VALUES.length] as readonly [IndicatorKind, string];
    if (lists.check(kind, value) !== undefined) hits++;
  }
  const seconds = (performance.now() - started) / 1000;
  print(`  ${Math.round(ITERATIONS / seconds).toLocaleString('en-US')} checks/s (${(seconds * 1000).toFixed(0)} ms, ${((seconds / ITERATIONS) * 1e6).toFixed(2)} µs/check, ${hits.toLocaleString('en-US')} hits)`);
}

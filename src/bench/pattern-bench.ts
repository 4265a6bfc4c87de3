import { performance } from 'node:perf_hooks';
import { parseStixPattern } from '../domain/stix-pattern';

/**
 * Pattern-parser throughput: a mix of indicator patterns like those the hub generates from
 * submissions and receives from peers, parsed 200,000 times after a warm-up.
 */

const PATTERNS: readonly string[] = [
  "[ipv4-addr:value = '203.0.113.42']",
  "[ipv6-addr:value = '2001:db8::dead:beef']",
  "[domain-name:value = 'c2.evil-example.com']",
  "[url:value = 'https://evil-example.com/payload/dropper.php?id=42']",
  "[email-message:from_ref.value = 'billing@invoices-example.net']",
  "[email-message:subject = 'Your invoice \\'Q3-2024\\' is overdue']",
  "[file:name = 'Invoice_Q3.pdf.exe']",
  "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
  "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4' OR file:hashes.'SHA-1' = 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4']",
  "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
  "[email-message:from_ref.value MATCHES '.+@evil\\\\.example$'] FOLLOWEDBY [network-traffic:dst_ref.value = '203.0.113.5'] WITHIN 600 SECONDS",
  "[process:name = 'powershell.exe' AND process:command_line LIKE '%-enc%'] REPEATS 3 TIMES WITHIN 60 SECONDS",
  "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0] START t'2024-01-01T00:00:00Z' STOP t'2024-12-31T23:59:59Z'",
  "[network-traffic:dst_port IN (4444, 8443, 1337) AND network-traffic:protocols[0] = 'tcp']",
];

const ITERATIONS = 200_000;

export function runPatternBench(print: (line: string) => void): void {
  print(`STIX pattern parser: ${PATTERNS.length} realistic indicator patterns, ${ITERATIONS.toLocaleString('en-US')} parses`);
  for (let i = 0; i < 20_000; i++) parseStixPattern(PATTERNS[i % PATTERNS.length] as string);
  let rejected = 0;
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    if (!parseStixPattern(PATTERNS[i % PATTERNS.length] as string).ok) rejected++;
  }
  const seconds = (performance.now() - started) / 1000;
  if (rejected > 0) throw new Error(`the pattern benchmark's corpus has ${rejected} rejected parses`);
  print(`  ${Math.round(ITERATIONS / seconds).toLocaleString('en-US')} patterns/s (${(seconds * 1000).toFixed(0)} ms, ${((seconds / ITERATIONS) * 1e6).toFixed(2)} µs/pattern)`);
}

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createStixValidator } from '../validation/stix-validator';

/**
 * STIX object validation throughput (schema + rules, the STIX pattern parsed): 200,000 validations of
 * indicators shaped like those the hub writes from submissions, after a warm-up. A pool of distinct
 * objects is cycled so the figure is not that of one object the engine has specialised for.
 */

const ITERATIONS = 200_000;
const POOL_SIZE = 2_000;
const IDENTITY = 'identity--0b6f1f2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c';
const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const HUB_EXTENSION = 'extension-definition--f92e8a7a-6b8c-4e0e-9a61-2d3c8a1e5b70';

const PATTERNS: readonly ((i: number) => string)[] = [
  (i) => `[ipv4-addr:value = '203.0.${i % 256}.${(i * 7) % 256}']`,
  (i) => `[domain-name:value = 'c2-${i}.evil-example.com']`,
  (i) => `[url:value = 'https://evil-example.com/payload/${i}/dropper.php?id=${i}']`,
  (i) => `[email-message:from_ref.value = 'billing${i}@invoices-example.net']`,
  (i) => `[email-message:subject = 'Your invoice \\'Q${i % 4}-2026\\' is overdue']`,
  (i) => `[file:hashes.'SHA-256' = '${(i.toString(16).padStart(8, '0')).repeat(8)}']`,
];

export function indicator(i: number): Record<string, unknown> {
  const created = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  const object: Record<string, unknown> = {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created,
    modified: created,
    created_by_ref: IDENTITY,
    name: `Submission item ${i}`,
    indicator_types: ['malicious-activity'],
    pattern: (PATTERNS[i % PATTERNS.length] as (i: number) => string)(i),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: created,
    valid_until: new Date(Date.UTC(2026, 6, 1) + i * 60_000).toISOString(),
    kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'delivery' }],
    confidence: 50 + (i % 50),
    object_marking_refs: [TLP_AMBER],
  };
  if (i % 10 === 0) {
    object.extensions = { [HUB_EXTENSION]: { extension_type: 'property-extension', red_recipients: ['acme-hq'] } };
  }
  return object;
}

export function runStixValidationBench(print: (line: string) => void): void {
  const validate = createStixValidator();
  const pool = Array.from({ length: POOL_SIZE }, (_, i) => indicator(i));
  print(`STIX object validation (schema + rules + pattern): ${POOL_SIZE.toLocaleString('en-US')} distinct indicators, ${ITERATIONS.toLocaleString('en-US')} validations`);
  for (let i = 0; i < 20_000; i++) validate(pool[i % POOL_SIZE]);
  let rejected = 0;
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    if (!validate(pool[i % POOL_SIZE]).ok) rejected++;
  }
  const seconds = (performance.now() - started) / 1000;
  if (rejected > 0) throw new Error(`the validation benchmark's indicators had ${rejected} rejections`);
  print(`  ${Math.round(ITERATIONS / seconds).toLocaleString('en-US')} objects/s (${(seconds * 1000).toFixed(0)} ms, ${((seconds / ITERATIONS) * 1e6).toFixed(2)} µs/object)`);
}

import { performance } from 'node:perf_hooks';
import { createLogger } from '../http/ops/logging';
import { createSharingServices } from '../hub-composition';
import type { Principal } from '../domain/principal';
import { indicatorContent, indicatorVersion } from '../domain/submission/indicator-object';
import { formatMicros } from '../domain/timestamps';
import { normaliseItems } from '../services/submission-items';
import { migrate } from '../storage/sql/migrate';
import { openPglite } from '../storage/sql/pglite-engine';
import { createSqlTenancyStore } from '../storage/sql/sql-tenancy-store';
import { createStixValidator } from '../validation/stix-validator';
import { createSubmissionValidator } from '../validation/submission-validator';

/**
 * Unified submissions: what validation costs per indicator, and what storing costs.
 * 1. The whole check, on one core, without storage: the document schema (ajv), normalisation of each
 *    value, building its STIX indicator and pattern, and validating that indicator with the full STIX
 *    validator (schema, rules, pattern parser) — everything a submitted indicator passes through.
 * 2. Submissions of 1,000 indicators each through the submission service into an in-memory PGlite
 *    (deduplication lookups, lock, insert): what ingest then costs on the embedded store.
 */

const DOCUMENT_SIZE = 1_000;

/** Raw values as providers send them: mixed case, stray spaces, IDN, long URLs. */
const ITEMS: readonly ((i: number) => Record<string, string>)[] = [
  (i) => ({ kind: 'c2-ip', value: ` 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} ` }),
  (i) => ({ kind: 'email-sender-ip', value: `2001:DB8:0:0:${(i % 65536).toString(16)}::${(i % 4096).toString(16)}` }),
  (i) => ({ kind: 'c2-hostname', value: `C2-${i}.Bücher-Example.COM.` }),
  (i) => ({ kind: 'url', value: `HTTPS://Evil-Example.com:443/payload/${i}/drop%7eper.php?id=${i}&x=%2f` }),
  (i) => ({ kind: 'email-from', value: `billing${i}@Invoices-Example.NET` }),
  (i) => ({ kind: 'email-subject', value: `Your invoice 'Q${i % 4}-2026' \\ is overdue (${i})` }),
  (i) => ({ kind: 'email-attachment-name', value: `invoice-${i}.pdf.exe` }),
  (i) => ({ kind: 'file-hash', algorithm: 'sha256', value: i.toString(16).padStart(8, '0').repeat(8).toUpperCase() }),
];

function document(offset: number, collection: string): { collection: string; valid_from: string; indicators: Record<string, string>[] } {
  return {
    collection,
    valid_from: '2026-11-01T00:00:00Z',
    indicators: Array.from({ length: DOCUMENT_SIZE }, (_v, n) => (ITEMS[(offset + n) % ITEMS.length] as (i: number) => Record<string, string>)(offset + n)),
  };
}

function runPipelineBench(print: (line: string) => void): void {
  const validateDocument = createSubmissionValidator();
  const validateStix = createStixValidator();
  const documents = Array.from({ length: 20 }, (_v, d) => document(d * DOCUMENT_SIZE, '948f89cd-d3ab-4b2e-bb60-bdffe702b793'));
  const settings = { providerIdentityId: 'identity--6a1f0e7c-4a52-4c8e-9d1b-2f3e4a5b6c7d', tlp: 'amber' as const, recipients: [], validFrom: formatMicros(1_790_000_000_000_000), validUntil: formatMicros(1_800_000_000_000_000) };
  const check = (doc: (typeof documents)[number]): number => {
    const reading = validateDocument(doc);
    if (!reading.ok) throw new Error('the benchmark document is invalid');
    let stored = 0;
    for (const item of normaliseItems(reading.document.indicators, reading.itemProblems)) {
      if (!item.ok) throw new Error(`benchmark item ${item.index} rejected: ${JSON.stringify(item.problems)}`);
      const object = indicatorVersion(`indicator--00000000-0000-4000-8000-${String(item.index).padStart(12, '0')}`, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', indicatorContent(item.indicator, settings));
      const result = validateStix(object);
      if (!result.ok) throw new Error(`benchmark indicator invalid: ${JSON.stringify(result.problems)}`);
      stored++;
    }
    return stored;
  };
  for (const doc of documents.slice(0, 5)) check(doc); // warm-up
  const rounds = 5;
  let indicators = 0;
  const started = performance.now();
  for (let r = 0; r < rounds; r++) for (const doc of documents) indicators += check(doc);
  const seconds = (performance.now() - started) / 1000;
  print(`Unified submission check, one core: schema + normalisation + STIX indicator + full STIX validation (patterns parsed), ${indicators.toLocaleString('en-US')} indicators of 8 kinds`);
  print(`  ${Math.round(indicators / seconds).toLocaleString('en-US')} indicators/s (${((seconds / indicators) * 1e6).toFixed(2)} µs/indicator)`);
}

async function runStoreBench(print: (line: string) => void): Promise<void> {
  const db = await openPglite();
  try {
    await migrate(db);
    const store = createSqlTenancyStore(db);
    await store.organizations.insert({ id: 'acme-east', name: 'ACME East', parentId: null, managedBy: 'admin' });
    await store.apiRoots.insert({ id: 'bench', title: 'Bench', description: null, maxContentLength: 100_000_000, managedBy: 'admin' });
    const collection = '948f89cd-d3ab-4b2e-bb60-bdffe702b793';
    await store.collections.insert({ id: collection, apiRootId: 'bench', alias: null, title: 'bench', description: null, owner: { kind: 'organization', id: 'acme-east' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    const { submissions } = createSharingServices({ db, store, logger: createLogger('silent') });
    const bob: Principal = { userId: 'bench', username: 'bench', organizationId: 'acme-east', roles: new Set(['provider']), via: 'local' };
    const documents = Array.from({ length: 20 }, (_v, d) => document(d * DOCUMENT_SIZE, collection));
    const timed = async (label: string) => {
      const started = performance.now();
      const counts = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
      for (const doc of documents) {
        const result = await submissions.submit(bob, doc);
        for (const [k, v] of Object.entries(result.summary)) counts[k as keyof typeof counts] += v;
      }
      const seconds = (performance.now() - started) / 1000;
      const total = documents.length * DOCUMENT_SIZE;
      print(`  ${label}: ${Math.round(total / seconds).toLocaleString('en-US')} indicators/s (${JSON.stringify(counts)})`);
    };
    print(`Unified submissions stored through the submission service, PGlite in memory, ${documents.length} documents of ${DOCUMENT_SIZE.toLocaleString('en-US')}`);
    await timed('first submission (created)');
    await timed('the same again (unchanged)');
  } finally {
    await db.close();
  }
}

export async function runSubmissionBench(print: (line: string) => void): Promise<void> {
  runPipelineBench(print);
  print('');
  await runStoreBench(print);
}

import { isHubError } from '../../domain/errors';
import { MESSAGES, type TaxiiStatus } from '../../services/object-ingest-service';
import type { SubmissionResult } from '../../services/submission-service';
import { readImportDocument, type ImportFile } from './import-files';
import type { ImportProgress, OutcomeCounts } from './import-progress';

/** Where imported data goes: the same services as the HTTP paths, already bound to a principal and a collection. */
export interface ImportSink {
  /** A unified submission (POST /api/submissions). */
  submit(document: unknown): Promise<SubmissionResult>;
  /** STIX objects (TAXII 2.1 Add Objects). */
  addObjects(objects: readonly unknown[]): Promise<Pick<TaxiiStatus, 'successes' | 'failures'>>;
}

export interface ImportRun {
  readonly files: readonly ImportFile[];
  readonly sink: ImportSink;
  /** The target collection: a submission without one goes there; one naming another fails. */
  readonly collectionId: string;
  /** Other names of the target a submission may use: the alias --collection gave. */
  readonly collectionAliases?: readonly string[];
  readonly batchSize: number;
  readonly progress: ImportProgress;
  readonly readFile: (path: string) => Promise<string>;
}

export interface ImportTotals extends OutcomeCounts {
  readonly files: number;
  readonly failedFiles: number;
}

type Counts = { created: number; updated: number; unchanged: number; rejected: number };
type FileOutcome = { readonly ok: true; readonly counts: OutcomeCounts } | { readonly ok: false; readonly reason: string };

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0, rejected: 0 });

/**
 * Imports the files one after another. A file that cannot be read, or that the services refuse as a
 * whole, fails on its own and the import goes on; each rejected object or item is reported as it
 * happens. Errors that are not the hub's verdict (a lost database) end the import.
 */
export async function runImport(run: ImportRun): Promise<ImportTotals> {
  const totals = zero();
  let bytesBefore = 0;
  let failedFiles = 0;
  let filesDone = 0;
  const state = (bytesDone: number, extra: OutcomeCounts = zero()) => ({ bytesDone, filesDone, counts: add(zero(), totals, extra) });

  for (const file of run.files) {
    const reject = (label: string, reason: string) => run.progress.line(`${file.path}: ${label}: ${reason}`);
    const onBatch = (fraction: number, sofar: OutcomeCounts) => run.progress.update(state(bytesBefore + file.size * fraction, sofar));
    const outcome = await importFile(run, file, reject, onBatch);
    bytesBefore += file.size;
    filesDone += 1;
    if (outcome.ok) {
      add(totals, outcome.counts);
      run.progress.fileDone(file.path, outcome.counts, state(bytesBefore));
    } else {
      failedFiles += 1;
      run.progress.line(`${file.path}: not imported: ${outcome.reason}`);
      run.progress.update(state(bytesBefore));
    }
  }
  run.progress.finish();
  return { ...totals, files: run.files.length, failedFiles };
}

async function importFile(
  run: ImportRun,
  file: ImportFile,
  reject: (label: string, reason: string) => void,
  onBatch: (fraction: number, sofar: OutcomeCounts) => void,
): Promise<FileOutcome> {
  let text: string;
  try {
    text = await run.readFile(file.path);
  } catch (error) {
    return { ok: false, reason: `cannot be read (${error instanceof Error ? error.message : String(error)})` };
  }
  const doc = readImportDocument(text);
  try {
    if (doc.kind === 'unreadable') return { ok: false, reason: doc.reason };
    if (doc.kind === 'submission') return await importSubmission(run, doc.document, reject);
    return { ok: true, counts: await importObjects(run, doc.objects, reject, onBatch) };
  } catch (error) {
    if (!isHubError(error)) throw error;
    // Each problem once: a validation message often is the problems themselves.
    const problems = (error.details.problems ?? []).map((p) => `${p.path}: ${p.message}`).filter((p) => !error.message.includes(p));
    return { ok: false, reason: [error.message, ...problems].join('; ') };
  }
}

async function importSubmission(run: ImportRun, document: Readonly<Record<string, unknown>>, reject: (label: string, reason: string) => void): Promise<FileOutcome> {
  const named = document.collection;
  const names = [run.collectionId.toLowerCase(), ...(run.collectionAliases ?? [])];
  if (named !== undefined && (typeof named !== 'string' || !(names.includes(named.toLowerCase()) || names.includes(named)))) {
    return { ok: false, reason: `the submission names collection ${String(named)}, not ${run.collectionId} (--collection); nothing of it was stored` };
  }
  const result = await run.sink.submit(named === undefined ? { ...document, collection: run.collectionId } : document);
  for (const item of result.items) {
    if (item.outcome !== 'rejected') continue;
    const label = `indicators[${item.index}]`;
    // The problems' paths name the item already ("indicators[3].value"): relative to it, they read better.
    const relative = (problemPath: string) => (problemPath.startsWith(`${label}.`) ? problemPath.slice(label.length + 1) : problemPath);
    reject(label, item.problems.map((p) => (p.path === label ? p.message : `${relative(p.path)}: ${p.message}`)).join('; '));
  }
  return { ok: true, counts: result.summary };
}

async function importObjects(
  run: ImportRun,
  objects: readonly unknown[],
  reject: (label: string, reason: string) => void,
  onBatch: (fraction: number, sofar: OutcomeCounts) => void,
): Promise<OutcomeCounts> {
  const counts = zero();
  for (let start = 0; start < objects.length; start += run.batchSize) {
    const batch = objects.slice(start, start + run.batchSize);
    const status = await run.sink.addObjects(batch);
    const unnamed = batch.flatMap((o, i) => (typeof idOf(o) === 'string' ? [] : [start + i]));
    for (const failure of status.failures) {
      counts.rejected += 1;
      reject(failure.id !== '' ? failure.id : `objects[${unnamed.shift() ?? '?'}]`, failure.message ?? 'refused');
    }
    const byVersion = new Map(batch.map((o) => [`${idOf(o)}\u0000${versionOf(o)}`, o]));
    for (const success of status.successes) {
      if (success.message === MESSAGES.alreadyPresent) counts.unchanged += 1;
      else if (isFirstVersion(byVersion.get(`${success.id}\u0000${success.version}`))) counts.created += 1;
      else counts.updated += 1;
    }
    onBatch(Math.min(objects.length, start + batch.length) / objects.length, counts);
  }
  return counts;
}

function field(object: unknown, name: string): unknown {
  return typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[name] : undefined;
}

const idOf = (object: unknown): unknown => field(object, 'id');

/** The version the status names for a stored object: its `modified`, else its `created` (else the date it was added). */
function versionOf(object: unknown): unknown {
  return field(object, 'modified') ?? field(object, 'created');
}

/**
 * Whether a stored version is the object's first: its `modified` equals its `created`, or it has no
 * `modified` (an object without versions; one the batch cannot name is counted so too).
 */
function isFirstVersion(object: unknown): boolean {
  const modified = field(object, 'modified');
  return modified === undefined || modified === field(object, 'created');
}

function add(into: Counts, ...more: OutcomeCounts[]): Counts {
  for (const m of more) {
    into.created += m.created;
    into.updated += m.updated;
    into.unchanged += m.unchanged;
    into.rejected += m.rejected;
  }
  return into;
}

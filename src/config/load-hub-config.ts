import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { ConfigDocument } from './config-problems';
import type { ConfigProblem, ConfigResult } from './hub-config';
import type { Segment } from './hub-config-document';
import { validateHubConfigDocuments } from './validate-hub-config';

export { defaultConfigPath } from './hub-config-path';

export type LoadResult = ConfigResult & {
  /** The files read, in the order they were merged. */
  readonly sources: readonly string[];
};

/**
 * Reads the hub configuration from a YAML file, or from a folder whose *.yaml/*.yml files (sorted by
 * name, dot-files skipped) are merged. Never throws for a bad configuration: every problem, from
 * an unreadable path to a YAML syntax error to a dangling reference, comes back in `errors`.
 */
export async function loadHubConfig(pathToFileOrFolder: string): Promise<LoadResult> {
  const files = await listConfigFiles(pathToFileOrFolder);
  if (!files.ok) return { ok: false, errors: [files.problem], sources: [] };
  const documents: ConfigDocument[] = [];
  const syntaxProblems: ConfigProblem[] = [];
  for (const file of files.paths) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      syntaxProblems.push({ source: file, path: '', message: `cannot read file: ${reason(error)}` });
      continue;
    }
    const parsed = parseYaml(text, file);
    if (parsed.ok) documents.push(parsed.document);
    else syntaxProblems.push(...parsed.problems);
  }
  // With a file unreadable, references into it would all be reported as unknown: stop here instead.
  if (syntaxProblems.length > 0) return { ok: false, errors: syntaxProblems, sources: files.paths };
  return { ...validateHubConfigDocuments(documents), sources: files.paths };
}

export type FileListing = { ok: true; paths: string[] } | { ok: false; problem: ConfigProblem };

export async function listConfigFiles(target: string): Promise<FileListing> {
  try {
    if (!(await stat(target)).isDirectory()) return { ok: true, paths: [target] };
    const names = (await readdir(target)).filter((name) => /\.ya?ml$/i.test(name) && !name.startsWith('.')).sort();
    if (names.length === 0) return { ok: false, problem: { source: target, path: '', message: 'the folder holds no *.yaml or *.yml files' } };
    return { ok: true, paths: names.map((name) => path.join(target, name)) };
  } catch (error) {
    return { ok: false, problem: { source: target, path: '', message: `cannot read configuration: ${reason(error)}` } };
  }
}

type ParsedFile = { ok: true; document: ConfigDocument } | { ok: false; problems: ConfigProblem[] };

function parseYaml(text: string, source: string): ParsedFile {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (documents.length === 0) return { ok: true, document: { source, content: {} } };
  const problems: ConfigProblem[] = documents.flatMap((document) =>
    document.errors.map((error) => ({ source, line: lineAt(error.pos[0]), path: '', message: `YAML syntax error: ${firstLine(error.message)}` })),
  );
  const second = documents[1];
  if (second) {
    problems.push({ source, line: lineAt(second.range[0]), path: '', message: 'a configuration file holds one YAML document; split the others into files of their own' });
  }
  const first = documents[0];
  if (problems.length > 0 || !first) return { ok: false, problems };
  let content: unknown;
  try {
    content = first.toJS();
  } catch (error) {
    return { ok: false, problems: [{ source, path: '', message: `YAML error: ${reason(error)}` }] };
  }
  return { ok: true, document: { source, content, lineOf: (segments) => lineOf(first, segments, lineAt) } };
}

/** The line of the deepest node on `segments` that exists; for a mapping entry, the line of its key. */
function lineOf(document: Document, segments: readonly Segment[], lineAt: (offset: number) => number): number | undefined {
  let node: unknown = document.contents;
  let line = isScalar(node) || isMap(node) || isSeq(node) ? rangeLine(node.range, lineAt) : undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      line = isScalar(pair.key) ? (rangeLine(pair.key.range, lineAt) ?? line) : line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (!(isScalar(item) || isMap(item) || isSeq(item))) break;
      line = rangeLine(item.range, lineAt) ?? line;
      node = item;
    } else break;
  }
  return line;
}

function rangeLine(range: readonly number[] | null | undefined, lineAt: (offset: number) => number): number | undefined {
  const start = range?.[0];
  return start === undefined ? undefined : lineAt(start);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

// Duck-typed: errors from node:fs may come from another realm (e.g. under jest), failing instanceof.
function reason(error: unknown): string {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  if (code === 'ENOENT') return 'no such file or folder';
  return typeof message === 'string' ? message : String(error);
}

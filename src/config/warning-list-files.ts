import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { renderFieldPath } from '../domain/field-path';
import { compileWarningLists, type WarningListDefinition, type WarningLists } from '../domain/warning-lists';
import { ajvProblems } from '../validation/ajv-problems';
import { compileShared } from '../validation/shared-ajv';

/**
 * Reads the warning lists: the hub's own (schemas/warning-lists/*.json), then the operator's files
 * and folders named by hub.warning_lists in the hub config. Each file is one list, checked against
 * schemas/warning-list.schema.json and then entry by entry; an operator's list with the id of a
 * built-in list replaces it. Synchronous: it runs once, when the config is checked and when the hub
 * is composed.
 */

/** Resolved from the package root, so it works from src/config (tests) and dist/config (built). */
export const BUILT_IN_WARNING_LISTS = path.resolve(__dirname, '../../schemas/warning-lists');
export const WARNING_LIST_SCHEMA_PATH = path.resolve(__dirname, '../../schemas/warning-list.schema.json');

/** One thing wrong: in a list file (`source`, and `path` inside it), or with the n-th configured path itself (`entry`). */
export interface WarningListFileProblem {
  readonly source: string;
  readonly path: string;
  readonly message: string;
  /** Set when the configured path itself is the problem (missing, unreadable, an empty folder): its index in hub.warning_lists. */
  readonly entry?: number;
}

export type WarningListsReading =
  | { readonly ok: true; readonly lists: WarningLists; readonly files: readonly string[] }
  | { readonly ok: false; readonly problems: readonly WarningListFileProblem[] };

let compiledSchema: ValidateFunction<WarningListDefinition> | undefined;

function schemaValidator(): ValidateFunction<WarningListDefinition> {
  if (!compiledSchema) {
    const schema = JSON.parse(readFileSync(WARNING_LIST_SCHEMA_PATH, 'utf8')) as object;
    compiledSchema = compileShared<WarningListDefinition>('plain', schema);
  }
  return compiledSchema;
}

/** A configured path, relative to the folder of the config file that names it (or to the working directory). */
export function resolveWarningListPath(given: string, configSource: string | undefined): string {
  return path.resolve(configSource === undefined ? process.cwd() : path.dirname(configSource), given);
}

function reason(error: unknown): string {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  if (code === 'ENOENT') return 'no such file or folder';
  return typeof message === 'string' ? message : String(error);
}

/** The *.json files of a path (a file, or a folder's files sorted by name, dot-files skipped). */
function listFiles(target: string, entry: number | undefined): { ok: true; files: string[] } | { ok: false; problem: WarningListFileProblem } {
  const problem = (message: string) => ({ ok: false as const, problem: { source: target, path: '', message, ...(entry !== undefined ? { entry } : {}) } });
  try {
    if (!statSync(target).isDirectory()) return { ok: true, files: [target] };
    const names = readdirSync(target).filter((name) => /\.json$/i.test(name) && !name.startsWith('.')).sort();
    if (names.length === 0) return problem(`the warning-list folder ${target} holds no *.json files`);
    return { ok: true, files: names.map((name) => path.join(target, name)) };
  } catch (error) {
    return problem(`cannot read warning list ${target}: ${reason(error)}`);
  }
}

function readList(file: string): { ok: true; definition: WarningListDefinition } | { ok: false; problems: WarningListFileProblem[] } {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { ok: false, problems: [{ source: file, path: '', message: `not a readable JSON warning list: ${reason(error)}` }] };
  }
  const validate = schemaValidator();
  if (validate(content)) return { ok: true, definition: content };
  return { ok: false, problems: ajvProblems(validate.errors).map((problem) => ({ source: file, path: problem.path === '(root)' ? '' : problem.path, message: problem.message })) };
}

/**
 * The built-in lists and the operator's (`extraPaths`: absolute files or folders, in order), compiled;
 * or every problem found, each with its file and its place in it.
 */
export function readWarningLists(extraPaths: readonly string[] = []): WarningListsReading {
  const problems: WarningListFileProblem[] = [];
  const builtIn = listFiles(BUILT_IN_WARNING_LISTS, undefined);
  const sources: { file: string; builtIn: boolean }[] = builtIn.ok ? builtIn.files.map((file) => ({ file, builtIn: true })) : [];
  if (!builtIn.ok) problems.push(builtIn.problem);
  extraPaths.forEach((target, entry) => {
    const listed = listFiles(target, entry);
    if (listed.ok) sources.push(...listed.files.map((file) => ({ file, builtIn: false })));
    else problems.push(listed.problem);
  });
  const read = sources.flatMap(({ file, builtIn: isBuiltIn }) => {
    const list = readList(file);
    if (!list.ok) problems.push(...list.problems);
    return list.ok ? [{ file, builtIn: isBuiltIn, definition: list.definition }] : [];
  });
  if (problems.length > 0) return { ok: false, problems };

  // An operator's list replaces the built-in list of the same id, in its place.
  const chosen: { file: string; builtIn: boolean; definition: WarningListDefinition }[] = [];
  for (const list of read) {
    const replaced = list.builtIn ? -1 : chosen.findIndex((c) => c.builtIn && c.definition.id === list.definition.id);
    if (replaced >= 0) chosen[replaced] = list;
    else chosen.push(list);
  }
  const compiled = compileWarningLists(chosen.map((c) => c.definition));
  if (!compiled.ok) {
    return {
      ok: false,
      problems: compiled.problems.map((problem) => {
        const file = chosen[problem.list]?.file ?? '';
        const other = problem.segments[0] === 'id' ? chosen.findIndex((c, i) => i !== problem.list && c.definition.id === chosen[problem.list]?.definition.id) : -1;
        const message = other >= 0 ? `'${chosen[problem.list]?.definition.id}' is also the id of the list in ${chosen[other]?.file}; list ids are unique` : problem.message;
        return { source: file, path: renderFieldPath(problem.segments), message };
      }),
    };
  }
  return { ok: true, lists: compiled.lists, files: chosen.map((c) => c.file) };
}

/** Lists already read in this process, by their configured paths (a process composes its hub once; tests compose many). */
const readByPaths = new Map<string, WarningLists>();

/**
 * The lists a hub being composed uses. The config loader has checked them already, so a problem now
 * (a file changed or removed since) stops the start with every problem named.
 */
export function warningListsFor(extraPaths: readonly string[] = []): WarningLists {
  const key = JSON.stringify(extraPaths);
  const known = readByPaths.get(key);
  if (known !== undefined) return known;
  const reading = readWarningLists(extraPaths);
  if (!reading.ok) {
    const problems = reading.problems.map((p) => `${p.source}${p.path === '' ? '' : `: ${p.path}`}: ${p.message}`);
    throw new Error(`the warning lists cannot be read: ${problems.join('; ')}`);
  }
  readByPaths.set(key, reading.lists);
  return reading.lists;
}

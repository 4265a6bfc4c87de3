import type { ConfigProblem } from './hub-config';
import type { Located, ProblemCollector } from './config-problems';
import type { HubSection } from './hub-config-document';
import { readWarningLists, resolveWarningListPath } from './warning-list-files';

/**
 * hub.warning_lists: the operator's warning-list files and folders, each relative to the config file
 * that names it. They are read here, so a bad list stops check-config and the start like any other
 * config problem: a missing path is reported at hub.warning_lists[n]; a problem inside a list file
 * names that file and the place in it.
 */

/** The absolute paths of the configured lists (none when the hub section names none). */
export function configuredWarningListPaths(hub: Located<HubSection> | undefined, problems: ProblemCollector): string[] {
  if (hub === undefined) return [];
  const source = problems.sourceOf(hub.doc);
  return (hub.entry.warning_lists ?? []).map((given) => resolveWarningListPath(given, source));
}

/** Reads the configured lists with the built-in ones; problems with a configured path go to `problems`, problems inside a file are returned. */
export function checkWarningLists(hub: Located<HubSection> | undefined, paths: readonly string[], problems: ProblemCollector): ConfigProblem[] {
  if (hub === undefined || paths.length === 0) return [];
  const reading = readWarningLists(paths);
  if (reading.ok) return [];
  const inFiles: ConfigProblem[] = [];
  for (const problem of reading.problems) {
    if (problem.entry !== undefined) problems.at(hub, ['warning_lists', problem.entry], problem.message);
    else inFiles.push({ source: problem.source, path: problem.path, message: problem.message });
  }
  return inFiles;
}

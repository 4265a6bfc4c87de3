import fs from 'node:fs/promises';
import path from 'node:path';

/** One input of `taxii-hub match`: a file, or standard input (no path). */
export interface MatchInput {
  /** As printed with each hit: the path as found, or '-' for standard input. */
  readonly name: string;
  readonly path?: string;
  /** Bytes on disk (compressed for a .gz file); undefined for standard input. */
  readonly size?: number;
  /** When the file was last written: the time of a hit on a line whose format logs no time. */
  readonly mtimeMs?: number;
}

/** The inputs found, and the arguments that named nothing readable (each a message; the rest is still scanned). */
export interface FoundInputs {
  readonly inputs: readonly MatchInput[];
  readonly problems: readonly string[];
}

export const STDIN_INPUT: MatchInput = { name: '-' };

/**
 * The inputs the arguments name, in order: standard input for none or '-', a file as given, a folder's
 * files recursively (every regular file, sorted by path; folders reached through a symbolic link are
 * not entered, so a link loop cannot run forever).
 */
export async function findMatchInputs(args: readonly string[]): Promise<FoundInputs> {
  if (args.length === 0) return { inputs: [STDIN_INPUT], problems: [] };
  const inputs: MatchInput[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      inputs.push(STDIN_INPUT);
      continue;
    }
    // Read by shape, not instanceof: fs errors may come from another realm (e.g. under jest).
    const stat = await fs.stat(arg).catch((error: NodeJS.ErrnoException) => ({ failed: error }));
    if ('failed' in stat) {
      problems.push(`${arg}: ${stat.failed.code === 'ENOENT' ? 'there is no such file or folder' : stat.failed.message}`);
    } else if (stat.isFile()) {
      inputs.push({ name: arg, path: arg, size: stat.size, mtimeMs: stat.mtimeMs });
    } else if (stat.isDirectory()) {
      const found: MatchInput[] = [];
      await collectFiles(arg, found, problems);
      inputs.push(...found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    } else {
      problems.push(`${arg} is neither a file nor a folder`);
    }
  }
  return { inputs, problems };
}

async function collectFiles(folder: string, found: MatchInput[], problems: string[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    problems.push(`${folder}: ${(error as Error).message}`);
    return;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      await collectFiles(full, found, problems);
      continue;
    }
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const stat = await fs.stat(full).catch(() => undefined);
    if (stat?.isFile()) found.push({ name: full, path: full, size: stat.size, mtimeMs: stat.mtimeMs });
  }
}

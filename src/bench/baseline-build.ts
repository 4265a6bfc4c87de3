import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HubBuild } from './bench-hub-process';

/**
 * The hub as it was at a git ref, built in a temporary directory for `npm run bench -- --baseline REF`:
 * the ref's tree exported with `git archive` (nothing is added to the repository's .git, unlike a
 * worktree), the working tree's node_modules linked in when the ref's package-lock.json is the same
 * (else `npm ci` there), compiled with tsc, and removed by `remove` (or when the process exits).
 */
export interface BaselineBuild extends HubBuild {
  readonly commit: string;
  remove(): void;
}

const run = (cmd: string, args: readonly string[], cwd: string, input?: Buffer): Buffer =>
  execFileSync(cmd, args, { cwd, input, maxBuffer: 1 << 30, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });

function failure(what: string, error: unknown): Error {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
  const stdout = (error as { stdout?: Buffer }).stdout?.toString().trim();
  return new Error(`${what} failed: ${[stdout, stderr].filter(Boolean).join('\n').slice(-2000) || (error instanceof Error ? error.message : String(error))}`);
}

export function buildBaseline(ref: string, currentRoot: string, print: (line: string) => void): BaselineBuild {
  let repo: string;
  let commit: string;
  try {
    repo = run('git', ['rev-parse', '--show-toplevel'], currentRoot).toString().trim();
    commit = run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repo).toString().trim();
  } catch (error) {
    throw failure(`--baseline ${ref}: resolving the ref`, error);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-baseline-'));
  const remove = () => {
    // The link to the working tree's node_modules goes first, so that nothing could follow it.
    const modules = path.join(dir, 'node_modules');
    if (fs.lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(modules);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', remove);
  try {
    print(`baseline: exporting ${ref} (${commit.slice(0, 12)}) to ${dir}`);
    run('tar', ['-x', '-C', dir], dir, run('git', ['archive', '--format=tar', commit], repo));

    const lockHere = readOrUndefined(path.join(currentRoot, 'package-lock.json'));
    const lockThere = readOrUndefined(path.join(dir, 'package-lock.json'));
    if (lockHere !== undefined && lockHere === lockThere && fs.existsSync(path.join(currentRoot, 'node_modules'))) {
      fs.symlinkSync(path.join(currentRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      print('baseline: same package-lock.json as the working tree, node_modules linked');
    } else {
      print('baseline: package-lock.json differs from the working tree, running npm ci there');
      try {
        run('npm', ['ci', '--no-audit', '--no-fund'], dir);
      } catch (error) {
        throw failure('npm ci in the baseline', error);
      }
    }

    print('baseline: compiling (tsc -p tsconfig.build.json)');
    try {
      run(process.execPath, [path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], dir);
    } catch (error) {
      throw failure(`compiling the baseline ${ref}`, error);
    }
    if (!fs.existsSync(path.join(dir, 'dist', 'cli', 'main.js'))) throw new Error(`the baseline ${ref} has no dist/cli/main.js after compiling`);
  } catch (error) {
    remove();
    process.removeListener('exit', remove);
    throw error;
  }
  return {
    name: `baseline ${ref} (${commit.slice(0, 12)})`,
    root: dir,
    commit,
    remove() {
      remove();
      process.removeListener('exit', remove);
    },
  };
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `taxii-hub serve` as a real process tree: `node src/cli/main.ts serve ...` with a require hook
 * that compiles the TypeScript sources with @swc/core (as jest does), so the test runs the code in
 * src/ without a build. node:cluster forks the workers with the same node flags, hook included.
 * Its JSON log lines are collected; `waitForLog` waits for one (events, not sleeps).
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');

const HOOK = `
const fs = require('node:fs');
const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
`;

let hookFile: string | undefined;
function typeScriptHook(): string {
  if (!hookFile) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-ts-hook-'));
    hookFile = path.join(dir, 'hook.cjs');
    fs.writeFileSync(hookFile, HOOK);
  }
  return hookFile;
}

export interface LogLine {
  readonly msg?: string;
  readonly pid?: number;
  readonly worker?: number;
  readonly workerPid?: number;
  readonly role?: string;
  readonly [key: string]: unknown;
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly logs: readonly LogLine[];
  /** What the process tree wrote to stderr. */
  stderr(): string;
  /**
   * The first log line from index `since` on (already written or still to come) that matches;
   * rejects after `timeoutMs` or once the process tree has exited without it.
   */
  waitForLog(matches: (line: LogLine) => boolean, options?: { readonly since?: number; readonly timeoutMs?: number }): Promise<LogLine>;
  /** The primary's exit code (or signal name), once it has exited and its output is read. */
  readonly exited: Promise<number | string>;
}

export function startServe(args: readonly string[], env: NodeJS.ProcessEnv): ServeProcess {
  const child = spawn(process.execPath, ['-r', typeScriptHook(), MAIN, 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (let nl = stdout.indexOf('\n'); nl >= 0; nl = stdout.indexOf('\n')) {
      const line = stdout.slice(0, nl);
      stdout = stdout.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ msg: line });
      }
    }
    for (const wake of [...waiters]) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close', not 'exit': every line the tree wrote has been read by then.
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')));

  const waitForLog = (matches: (line: LogLine) => boolean, { since = 0, timeoutMs = 60_000 }: { since?: number; timeoutMs?: number } = {}) =>
    new Promise<LogLine>((resolve, reject) => {
      let seen = since;
      const settle = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      const check = () => {
        for (; seen < logs.length; seen++) {
          const line = logs[seen] as LogLine;
          if (matches(line)) {
            settle();
            resolve(line);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`no such log line within ${timeoutMs} ms; stderr:\n${stderr}\nlast lines:\n${logs.slice(-10).map((l) => JSON.stringify(l)).join('\n')}`));
      }, timeoutMs);
      waiters.add(check);
      void exited.then(() => {
        if (!waiters.has(check)) return;
        settle();
        reject(new Error(`the hub exited without that log line; stderr:\n${stderr}`));
      });
      check();
    });

  return { child, logs, stderr: () => stderr, waitForLog, exited };
}

/** True while a process with this pid exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * Another process that takes the data-directory lock with the hub's own code (src/…/directory-lock.ts,
 * compiled on the fly with @swc/core, as jest compiles it), when told to "go" on its standard input,
 * then holds it until it is killed. It prints one JSON line: {"locked": true} or the error.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MODULE = path.join(ROOT, 'src', 'storage', 'sql', 'directory-lock.ts');

const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const [file, dataDir] = process.argv.slice(1);
const { code } = transformSync(fs.readFileSync(file, 'utf8'), { filename: file, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } });
const lockModule = new Module(file, module);
lockModule.filename = file;
lockModule.paths = Module._nodeModulePaths(path.dirname(file));
lockModule._compile(code, file);
process.stdin.once('data', () => {
  try {
    lockModule.exports.acquireDirectoryLock(dataDir);
    process.stdout.write(JSON.stringify({ locked: true }) + '\\n');
    setInterval(() => {}, 1 << 30);
  } catch (error) {
    process.stdout.write(JSON.stringify({ locked: false, name: error.name, message: error.message, holderPid: error.holderPid }) + '\\n');
    process.exit(3);
  }
});
process.stdout.write('ready\\n');
`;

export type HolderOutcome = { readonly locked: true } | { readonly locked: false; readonly name: string; readonly message: string; readonly holderPid?: number };

export interface LockHolder {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Tells the process to take the lock; resolves with what it says. */
  go(): Promise<HolderOutcome>;
  /** SIGKILL, and resolves once the process is gone. */
  kill(): Promise<void>;
}

/** Starts a holder process and resolves once it is ready to take the lock. */
export function startLockHolder(dataDir: string): Promise<LockHolder> {
  const child = spawn(process.execPath, ['-e', SCRIPT, MODULE, dataDir], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  const nextLine = () => new Promise<string>((resolve, reject) => {
    const line = lines.shift();
    if (line !== undefined) resolve(line);
    else {
      waiting.push(resolve);
      void exited.then(() => reject(new Error('the lock holder exited without a word')));
    }
  });
  return nextLine().then((ready) => {
    if (ready !== 'ready' || child.pid === undefined) throw new Error(`the lock holder did not start: ${ready}`);
    return {
      child,
      pid: child.pid,
      go: async () => {
        child.stdin?.write('go\n');
        return JSON.parse(await nextLine()) as HolderOutcome;
      },
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
  });
}

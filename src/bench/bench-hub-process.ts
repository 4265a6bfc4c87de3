import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '../storage/sql/scratch-database';

/**
 * The hub under benchmark, as a separate process (`node dist/cli/main.js serve`), so that the load
 * generator and the server do not share one event loop. Its store outlives it, so that the same data
 * can be served by hubs started one after another (with another worker count): PGlite in a fresh
 * temporary data directory, PostgreSQL in a fresh database created on the given server; both removed
 * by `drop`.
 */
export interface BenchStore {
  readonly engine: 'pglite' | 'postgres';
  /** The variables pointing a hub at this store. */
  readonly env: Readonly<Record<string, string>>;
  drop(): Promise<void>;
}

/** A built hub: the working tree's (dist/ next to this file) or one built elsewhere from a git ref. */
export interface HubBuild {
  /** "current", or the baseline's ref and commit. */
  readonly name: string;
  /** The package root: its dist/cli/main.js is started, from that directory. */
  readonly root: string;
}

export const CURRENT_BUILD: HubBuild = { name: 'current (working tree)', root: path.resolve(__dirname, '..', '..') };

export interface BenchHub {
  readonly url: string;
  readonly engine: 'pglite' | 'postgres';
  readonly pid: number;
  readonly workers: number;
  stop(): Promise<void>;
}

export async function createBenchStore(databaseUrl: string | undefined): Promise<BenchStore> {
  if (databaseUrl) {
    const scratch = await createScratchDatabase(databaseUrl, 'taxii_hub_bench');
    return { engine: 'postgres', env: { DATABASE_URL: scratch.url }, drop: scratch.drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-'));
  return { engine: 'pglite', env: { HUB_DATA_DIR: dir }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the hub exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the hub did not become ready in time');
}

/**
 * Starts `build`'s hub on `store`, with WORKERS=`workers` (a hub without cluster support ignores it).
 * BENCH_HUB_NODE_ARGS passes node flags to the hub alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
 */
export async function startBenchHub(options: { store: BenchStore; build?: HubBuild; workers?: number }): Promise<BenchHub> {
  const build = options.build ?? CURRENT_BUILD;
  const workers = options.workers ?? 1;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKERS: String(workers) };
  delete env.DATABASE_URL;
  delete env.HUB_DATA_DIR;
  Object.assign(env, options.store.env);
  const main = path.join(build.root, 'dist', 'cli', 'main.js');
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main, 'serve'], { cwd: build.root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    url,
    engine: options.store.engine,
    pid: child.pid as number,
    workers,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

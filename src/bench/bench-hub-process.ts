import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '../storage/sql/scratch-database';

/**
 * The hub under benchmark, as a separate process (`node dist/cli/main.js serve`), so that the load
 * generator and the server do not share one event loop. PGlite runs in a fresh temporary data
 * directory; PostgreSQL in a fresh database created on the given server and dropped afterwards.
 */
export interface BenchHub {
  readonly url: string;
  readonly engine: 'pglite' | 'postgres';
  stop(): Promise<void>;
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
    if (child.exitCode !== null) throw new Error(`the hub exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the hub did not become ready in time');
}

export async function startBenchHub(options: { databaseUrl?: string }): Promise<BenchHub> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  let cleanup = async () => {};
  if (options.databaseUrl) {
    const scratch = await createScratchDatabase(options.databaseUrl, 'taxii_hub_bench');
    env.DATABASE_URL = scratch.url;
    cleanup = scratch.drop;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-'));
    env.HUB_DATA_DIR = dir;
    delete env.DATABASE_URL;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const main = path.resolve(__dirname, '..', 'cli', 'main.js');
  // BENCH_HUB_NODE_ARGS passes node flags to the hub alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main, 'serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    await cleanup();
    throw error;
  }
  return {
    url,
    engine: options.databaseUrl ? 'postgres' : 'pglite',
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await cleanup();
    },
  };
}

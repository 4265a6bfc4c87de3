import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBenchStore, startBenchHub, type BenchHub, type BenchStore } from './bench-hub-process';

/**
 * What the delivery latency benchmarks (TAXII 1.1 push, webhooks) share: a loopback receiver that
 * records when each indicator (by IP) reached each path, a hub on the demo configuration with loopback
 * allow-listed for some organizations (or a running hub), and the loop that writes one indicator at a
 * time and waits until it reached every path. Figures: p50, p99 and max over every (write, path) pair.
 */

export interface DeliveryLatencyFigures {
  readonly engine: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Arrival times (performance.now()) by "<request path> <ip>". */
export type Arrivals = Map<string, number>;

export interface DeliveryLatencyRun {
  readonly url?: string;
  readonly databaseUrl?: string;
  /** Lines of the demo organizations.yaml whose organizations get delivery_allow_list 127.0.0.1/32. */
  readonly allowListed: readonly string[];
  /** Records a request's arrivals (from its body) and answers it. */
  readonly receive: (request: { path: string; body: string; at: number }, arrivals: Arrivals, res: http.ServerResponse) => void;
  /** Registers the receiver's paths (under `receiverUrl`) with the hub at `url`; the paths each write must reach. */
  readonly register: (url: string, receiverUrl: string) => Promise<string[]>;
  /** Writes one indicator with this IP to the hub at `url`; throws when the hub refuses it. */
  readonly write: (url: string, ip: string) => Promise<void>;
  readonly writes: number;
  /** Who waits for each write, for the time-out's message ("subscriber", "webhook"). */
  readonly recipient: string;
}

/** The demo configuration with loopback allow-listed for the organizations these lines declare. */
function benchConfig(root: string, lines: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-config-'));
  fs.cpSync(path.join(root, 'collections'), dir, { recursive: true });
  const file = path.join(dir, 'organizations.yaml');
  let text = fs.readFileSync(file, 'utf8');
  for (const line of lines) {
    if (!text.includes(line)) throw new Error(`the demo configuration no longer declares "${line}"`);
    text = text.replace(line, `${line.slice(0, -2)}, delivery_allow_list: ["127.0.0.1/32"] }`);
  }
  fs.writeFileSync(file, text);
  return dir;
}

export async function runDeliveryLatency(run: DeliveryLatencyRun): Promise<DeliveryLatencyFigures> {
  let store: BenchStore | undefined;
  let hub: BenchHub | undefined;
  let configDir: string | undefined;
  const arrivals: Arrivals = new Map();
  let onArrival: () => void = () => undefined;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      run.receive({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'), at }, arrivals, res);
      onArrival();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  try {
    let url = run.url;
    let engine = 'running hub';
    if (!url) {
      configDir = benchConfig(path.resolve(__dirname, '..', '..'), run.allowListed);
      const created = await createBenchStore(run.databaseUrl);
      store = { ...created, env: { ...created.env, HUB_CONFIG: configDir } };
      hub = await startBenchHub({ store });
      url = hub.url;
      engine = hub.engine;
    }
    const paths = await run.register(url, receiverUrl);
    const latencies: number[] = [];
    for (let w = 0; w < run.writes; w++) {
      const ip = `198.18.${(w >> 8) & 255}.${w & 255}`;
      const started = performance.now();
      const all = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`write ${w} did not reach every ${run.recipient} within 60 s`)), 60_000);
        onArrival = () => {
          if (paths.every((p) => arrivals.has(`${p} ${ip}`))) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      await run.write(url, ip);
      onArrival();
      await all;
      for (const p of paths) latencies.push((arrivals.get(`${p} ${ip}`) ?? Infinity) - started);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(q * latencies.length) - 1))] ?? Infinity;
    return { engine, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
  } finally {
    await hub?.stop();
    await store?.drop();
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}

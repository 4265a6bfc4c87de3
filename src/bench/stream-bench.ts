import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createBenchStore, startBenchHub, type BenchHub, type BenchStore } from './bench-hub-process';
import { megabytes, readTreeMemory } from './process-memory';

/**
 * Live-stream fan-out (issue 13 §4): `clients` streams of acme-internal open on the hub (the demo
 * configuration, in its own process), all of acme-west (one audience, so one shared change-feed
 * reader), five per API key (the per-key cap); then `writes` indicators submitted one at a time by
 * acme-hq. For each write: the time from the start of the submission until every client had the
 * event (the fan-out), and for each client the time until it had it. Also the hub's resident memory
 * before the streams opened, with them open, and its peak.
 */

export interface StreamBenchOptions {
  readonly databaseUrl?: string;
  /** 500 by default. */
  readonly clients?: number;
  /** 20 by default. */
  readonly writes?: number;
}

export interface StreamBenchFigures {
  readonly engine: string;
  readonly allP50Ms: number;
  readonly allP99Ms: number;
  readonly eachP50Ms: number;
  readonly eachP99Ms: number;
}

const COLLECTION = '948f89cd-d3ab-4b2e-bb60-bdffe702b793'; // acme-internal
const PER_KEY = 5;
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`;

async function call(url: string, method: string, path: string, auth: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const answer: unknown = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
  return answer;
}

/** One stream; `seen(marker)` is when a data line containing the marker arrived. */
interface BenchStream {
  readonly opened: Promise<void>;
  readonly arrivals: Map<string, number>;
  close(): void;
}

function openStream(url: string, token: string, markers: () => readonly string[], onArrival: () => void): BenchStream {
  const arrivals = new Map<string, number>();
  let req: http.ClientRequest | undefined;
  const opened = new Promise<void>((resolve, reject) => {
    req = http.get(`${url}/api/collections/${COLLECTION}/stream`, { headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => reject(new Error(`a stream was refused: ${res.statusCode} ${body.slice(0, 300)}`)));
        return;
      }
      resolve();
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('data:')) continue;
          for (const marker of markers()) if (!arrivals.has(marker) && line.includes(marker)) arrivals.set(marker, at);
        }
        onArrival();
      });
    });
    req.on('error', reject);
  });
  return { opened, arrivals, close: () => req?.destroy() };
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Infinity;

export async function runStreamBench(options: StreamBenchOptions, print: (line: string) => void): Promise<StreamBenchFigures> {
  const clients = options.clients ?? 500;
  const writes = options.writes ?? 20;
  let store: BenchStore | undefined;
  let hub: BenchHub | undefined;
  const streams: BenchStream[] = [];
  try {
    store = await createBenchStore(options.databaseUrl);
    hub = await startBenchHub({ store });
    const { url } = hub;
    const operator = basic('operator');
    const users = (await call(url, 'GET', '/admin/api/users', operator)) as { users: { id: string; username: string }[] };
    const carol = users.users.find((u) => u.username === 'carol');
    if (carol === undefined) throw new Error('the demo configuration has no user carol');
    const tokens: string[] = [];
    for (let i = 0; i < Math.ceil(clients / PER_KEY); i++) {
      const issued = (await call(url, 'POST', `/admin/api/users/${carol.id}/api-keys`, operator, { name: `stream bench ${i}` })) as { token: string };
      tokens.push(issued.token);
    }
    const idle = readTreeMemory(hub.pid);

    const markers: string[] = [];
    let onArrival: () => void = () => undefined;
    const open = (i: number) => {
      const stream = openStream(url, tokens[Math.floor(i / PER_KEY)] ?? '', () => markers, () => onArrival());
      streams.push(stream);
      return stream.opened;
    };
    // Each key's first stream alone: once a key has verified, the hub's credential cache answers for
    // it, and concurrent first attempts with unverified keys would meet the login throttle.
    for (let i = 0; i < clients; i += PER_KEY) await open(i);
    const rest: Promise<void>[] = [];
    for (let i = 0; i < clients; i++) if (i % PER_KEY !== 0) rest.push(open(i));
    await Promise.all(rest);

    const write = async (ip: string): Promise<{ all: number; each: number[] }> => {
      const marker = `'${ip}'`; // as the indicator's pattern quotes it
      markers.push(marker);
      const started = performance.now();
      const everyone = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`a write did not reach every stream within 60 s (${streams.filter((s) => s.arrivals.has(marker)).length} of ${clients})`)), 60_000);
        onArrival = () => {
          if (streams.every((s) => s.arrivals.has(marker))) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      await call(url, 'POST', '/api/submissions', basic('alice'), { collection: COLLECTION, valid_from: '2026-11-01T00:00:00Z', marking: { tlp: 'green' }, indicators: [{ kind: 'c2-ip', value: ip }] });
      onArrival();
      await everyone;
      const each = streams.map((s) => (s.arrivals.get(marker) ?? Infinity) - started);
      return { all: Math.max(...each), each };
    };
    // Warm-up: every stream has caught up and joined the shared reader; the hub's identity and the GREEN marking exist.
    await write('198.18.255.1');
    await write('198.18.255.2');

    const all: number[] = [];
    const each: number[] = [];
    for (let w = 0; w < writes; w++) {
      const figures = await write(`198.18.${(w >> 8) & 255}.${w & 255}`);
      all.push(figures.all);
      each.push(...figures.each);
    }
    const streaming = readTreeMemory(hub.pid);
    all.sort((a, b) => a - b);
    each.sort((a, b) => a - b);
    const figures = { engine: hub.engine, allP50Ms: quantile(all, 0.5), allP99Ms: quantile(all, 0.99), eachP50Ms: quantile(each, 0.5), eachP99Ms: quantile(each, 0.99) };
    print(
      `stream fan-out (${hub.engine}, ${clients} streams of one audience, ${writes} writes): every stream had the write after p50 ${figures.allP50Ms.toFixed(0)} ms, ` +
        `p99 ${figures.allP99Ms.toFixed(0)} ms (from the start of the submission); per stream p50 ${figures.eachP50Ms.toFixed(0)} ms, p99 ${figures.eachP99Ms.toFixed(0)} ms`,
    );
    print(
      `stream memory (${hub.engine}): hub resident ${megabytes(idle.rssBytes).toFixed(0)} MB before the streams, ${megabytes(streaming.rssBytes).toFixed(0)} MB with ${clients} open ` +
        `(${((streaming.rssBytes - idle.rssBytes) / 1024 / clients).toFixed(1)} KB a stream), peak ${megabytes(streaming.hwmBytes).toFixed(0)} MB`,
    );
    return figures;
  } finally {
    for (const s of streams) s.close();
    await hub?.stop();
    await store?.drop();
  }
}

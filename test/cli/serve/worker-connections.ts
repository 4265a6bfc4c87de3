import http from 'node:http';
import type { Socket } from 'node:net';

/**
 * HTTP to a hub running several workers. node:cluster hands each new TCP connection to the next
 * worker, and every request on a kept-alive connection reaches the worker that accepted it, so a
 * connection is pinned to one worker; /metrics over it says which (every series is labelled
 * worker="<slot>"). A request on a pinned connection that finds its socket replaced fails the test.
 */

export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export class WorkerConnection {
  private socket: Socket | undefined;
  worker = 0;

  private constructor(
    private readonly baseUrl: string,
    private readonly agent: http.Agent,
  ) {}

  /** Opens a connection and learns which worker holds it. */
  static async open(baseUrl: string): Promise<WorkerConnection> {
    const connection = new WorkerConnection(baseUrl, new http.Agent({ keepAlive: true, maxSockets: 1 }));
    connection.worker = workerOfMetrics((await connection.request('/metrics')).body);
    return connection;
  }

  request(path: string, options: RequestOptions = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.baseUrl}${path}`, { method: options.method ?? 'GET', headers: options.headers, agent: this.agent });
      req.once('socket', (socket: Socket) => {
        if (this.socket === undefined) this.socket = socket;
        else if (this.socket !== socket) req.destroy(new Error(`the connection to worker ${this.worker} was closed; a new one may reach another worker`));
      });
      req.once('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.once('error', reject);
      req.end(options.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The worker="<slot>" label of a /metrics page. */
export function workerOfMetrics(metrics: string): number {
  const match = /\{[^}]*worker="(\d+)"/.exec(metrics);
  if (!match?.[1]) throw new Error('the /metrics page names no worker');
  return Number(match[1]);
}

/** `perWorker` connections to each of workers 1..`workers`, by worker (extra connections are closed). */
export async function connectionsToEachWorker(baseUrl: string, workers: number, perWorker: number): Promise<Map<number, WorkerConnection[]>> {
  const byWorker = new Map<number, WorkerConnection[]>(Array.from({ length: workers }, (_, i) => [i + 1, []]));
  const full = () => [...byWorker.values()].every((list) => list.length >= perWorker);
  for (let attempt = 0; attempt < workers * perWorker * 4 && !full(); attempt++) {
    const connection = await WorkerConnection.open(baseUrl);
    const list = byWorker.get(connection.worker);
    if (list && list.length < perWorker) list.push(connection);
    else connection.close();
  }
  if (!full()) throw new Error(`could not open ${perWorker} connections to each of ${workers} workers`);
  return byWorker;
}

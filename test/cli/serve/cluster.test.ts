import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ScratchDatabase } from '../../../src/storage/sql/scratch-database';
import { createPostgresTestDatabaseUrl, testEngines } from '../../support/test-databases';
import { isRunning, startServe, type LogLine, type ServeProcess } from './cluster-process';
import { connectionsToEachWorker, type WorkerConnection } from './worker-connections';

/**
 * `taxii-hub serve --workers 2` as a real process tree (a primary and two workers) on a scratch
 * PostgreSQL database, with the demo config; and refused on the embedded store.
 */

const TAXII = 'application/taxii+json;version=2.1';
const COLLECTION = '948f89cd-d3ab-4b2e-bb60-bdffe702b793'; // acme-internal: alice (acme-hq) reads bob's (acme-east) and her own
const OBJECTS = `/demo/collections/${COLLECTION}/objects/`;
const basic = (user: string, password = `${user}-demo-pw`) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const primaryLine = (pattern: RegExp) => (line: LogLine) => line.role === 'primary' && pattern.test(line.msg ?? '');

/** An indicator version: `version` 0 is the first, each later one is modified 1 ms after the previous. */
function indicator(id: string, version: number, base: number): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: new Date(base).toISOString(),
    modified: new Date(base + version).toISOString(),
    name: `cluster test ${id.slice(-6)} v${version}`,
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '10.0.${version % 250}.${(id.charCodeAt(id.length - 1) % 250) + 1}']`,
    pattern_type: 'stix',
    valid_from: new Date(base).toISOString(),
  };
}

async function post(connection: WorkerConnection, user: string, objects: readonly Record<string, unknown>[]): Promise<{ id: string; status: string }> {
  const answer = await connection.request(OBJECTS, {
    method: 'POST',
    headers: { Authorization: basic(user), Accept: TAXII, 'Content-Type': TAXII },
    body: JSON.stringify({ objects }),
  });
  const status = JSON.parse(answer.body) as { id: string; status: string; success_count: number };
  if (answer.status !== 202 || status.success_count !== objects.length) throw new Error(`POST on worker ${connection.worker}: ${answer.status} ${answer.body.slice(0, 300)}`);
  return status;
}

async function getObjects(connection: WorkerConnection, user: string, query: string) {
  const answer = await connection.request(`${OBJECTS}?${query}`, { headers: { Authorization: basic(user), Accept: TAXII } });
  if (answer.status !== 200) throw new Error(`GET objects on worker ${connection.worker}: ${answer.status} ${answer.body.slice(0, 300)}`);
  const body = JSON.parse(answer.body) as { more?: boolean; next?: string; objects?: { id: string; modified: string }[] };
  return { ...body, objects: body.objects ?? [], dateAddedLast: answer.headers['x-taxii-date-added-last'] as string | undefined };
}

/** The pid of each worker slot, as the primary last reported it listening. */
function listeningWorkers(hub: ServeProcess): Map<number, number> {
  const pids = new Map<number, number>();
  for (const line of hub.logs) if (line.role === 'primary' && /is listening/.test(line.msg ?? '') && line.worker && line.workerPid) pids.set(line.worker, line.workerPid);
  return pids;
}

describe('serve --workers 2 on the embedded store', () => {
  test('stops at once with status 1, saying why and what to do, before opening anything or forking', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-workers-'));
    try {
      const hub = startServe(['--workers', '2', '--port', '0', '--data-dir', path.join(dir, 'data')], { DATABASE_URL: undefined, WORKERS: undefined });
      expect(await hub.exited).toBe(1);
      expect(hub.stderr()).toContain('taxii-hub: --workers: 2 workers need a PostgreSQL server: the embedded store (PGlite) can be opened by only one process at a time');
      expect(hub.stderr()).toContain('Set DATABASE_URL (or --database-url) to run several workers, or use 1 worker.');
      expect(hub.logs).toEqual([]);
      expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

if (testEngines().includes('postgres')) {
  describe('serve --workers 2 on PostgreSQL', () => {
    let scratch: ScratchDatabase;
    let hub: ServeProcess;
    let url: string;

    beforeAll(async () => {
      scratch = await createPostgresTestDatabaseUrl();
      hub = startServe(['--workers', '2', '--port', '0', '--host', '127.0.0.1'], { DATABASE_URL: scratch.url });
      // Each worker's own line and the primary's about it come from two processes, in either order.
      for (const slot of [1, 2]) {
        await hub.waitForLog(primaryLine(new RegExp(`^worker ${slot} is listening`)));
        url = String((await hub.waitForLog((line) => line.worker === slot && typeof line.url === 'string')).url);
      }
    }, 120_000);

    afterAll(async () => {
      if (hub.child.exitCode === null && hub.child.signalCode === null) {
        hub.child.kill('SIGKILL'); // its workers exit when their primary's channel closes
        await hub.exited;
      }
      await scratch.drop();
    });

    test('the primary migrates and applies the config once; both workers answer, each naming itself in its logs and metrics', async () => {
      expect(hub.logs.filter((line) => /^hub config applied/.test(line.msg ?? '')).map((line) => line.role)).toEqual(['primary']);
      const workers = listeningWorkers(hub);
      expect([...workers.keys()].sort()).toEqual([1, 2]);
      for (const [slot, pid] of workers) {
        expect(hub.logs.some((line) => line.worker === slot && line.pid === pid && /^taxii-hub listening on/.test(line.msg ?? ''))).toBe(true);
      }
      const connections = await connectionsToEachWorker(url, 2, 1);
      for (const [slot, [connection]] of connections) {
        const metrics = await (connection as WorkerConnection).request('/metrics');
        expect(metrics.body).toMatch(new RegExp(`^process_start_time_seconds\\{worker="${slot}"\\} \\d+`, 'm'));
        const discovery = await (connection as WorkerConnection).request('/taxii2/', { headers: { Authorization: basic('alice'), Accept: TAXII } });
        expect(JSON.parse(discovery.body)).toMatchObject({ title: 'taxii-hub demo' });
        (connection as WorkerConnection).close();
      }
    });

    test('concurrent writers and incremental pollers on both workers: every poller sees every version exactly once', async () => {
      const writers = ['alice', 'bob', 'alice'];
      const pollers = ['alice', 'operator', 'alice'];
      const rounds = 12;
      const connections = await connectionsToEachWorker(url, 2, writers.length + pollers.length);
      // Client w's k-th request goes to worker (w + k) % 2 + 1: every client alternates between the workers.
      const on = (client: number, k: number) => connections.get(((client + k) % 2) + 1)?.[client] as WorkerConnection;
      const written = new Set<string>();
      let writing = true;
      const base = Date.now() - 3_600_000;

      const write = async (w: number) => {
        let previous: string | undefined;
        for (let k = 0; k < rounds; k++) {
          const fresh = `indicator--${randomUUID()}`;
          const batch = [indicator(fresh, 0, base), ...(previous ? [indicator(previous, 1, base)] : [])];
          await post(on(w, k), writers[w] as string, batch);
          for (const object of batch) written.add(`${object.id} ${object.modified}`);
          previous = fresh;
        }
      };
      const poll = async (p: number) => {
        const seen = new Map<string, number>();
        let addedAfter: string | undefined;
        for (let k = 0; k < 10_000; k++) {
          const last = !writing; // every write has been answered: this poll must find all of them
          const page = await getObjects(on(writers.length + p, k), pollers[p] as string, `match[version]=all&limit=10${addedAfter ? `&added_after=${encodeURIComponent(addedAfter)}` : ''}`);
          for (const object of page.objects) seen.set(`${object.id} ${object.modified}`, (seen.get(`${object.id} ${object.modified}`) ?? 0) + 1);
          addedAfter = page.dateAddedLast ?? addedAfter;
          if (last && page.objects.length === 0 && !page.more) return seen;
        }
        throw new Error(`poller ${p} never caught up`);
      };

      const polling = pollers.map((_, p) => poll(p));
      await Promise.all(writers.map((_, w) => write(w)));
      writing = false;
      const results = await Promise.all(polling);

      expect(written.size).toBe(writers.length * (2 * rounds - 1));
      for (const seen of results) {
        const ours = [...seen].filter(([version]) => written.has(version));
        expect(ours.filter(([, count]) => count !== 1)).toEqual([]); // never twice
        expect(ours.map(([version]) => version).sort()).toEqual([...written].sort()); // never missed
      }
      for (const list of connections.values()) for (const connection of list) connection.close();
    }, 120_000);

    test('a next token and a status id from one worker work on the other', async () => {
      const connections = await connectionsToEachWorker(url, 2, 1);
      const [one, two] = [connections.get(1)?.[0], connections.get(2)?.[0]] as [WorkerConnection, WorkerConnection];
      for (const [issuer, redeemer] of [[one, two], [two, one]] as const) {
        const first = await getObjects(issuer, 'alice', 'limit=2');
        expect(first.more).toBe(true);
        const second = await getObjects(redeemer, 'alice', `next=${encodeURIComponent(first.next as string)}`);
        expect(second.objects).toHaveLength(2);
        expect(second.objects.map((o) => o.id)).not.toContain(first.objects[0]?.id);

        const status = await post(issuer, 'alice', [indicator(`indicator--${randomUUID()}`, 0, Date.now() - 60_000)]);
        const read = await redeemer.request(`/demo/status/${status.id}/`, { headers: { Authorization: basic('alice'), Accept: TAXII } });
        expect(read.status).toBe(200);
        expect(JSON.parse(read.body)).toMatchObject({ id: status.id, status: 'complete', success_count: 1 });
      }
      one.close();
      two.close();
    });

    test('failed logins are counted across workers: ten failures spread over both throttle the account on each', async () => {
      const connections = await connectionsToEachWorker(url, 2, 1);
      const [one, two] = [connections.get(1)?.[0], connections.get(2)?.[0]] as [WorkerConnection, WorkerConnection];
      const discover = (connection: WorkerConnection, password?: string) =>
        connection.request('/taxii2/', { headers: { Authorization: basic('grace', password), Accept: TAXII } });
      const failures: number[] = [];
      for (let i = 0; i < 10; i++) failures.push((await discover(i % 2 === 0 ? one : two, 'wrong')).status);
      expect(failures).toEqual(Array(10).fill(401));
      // Each worker saw five failures: a throttle per process would let grace in on both. (Neither
      // worker has verified her password before, so no cached success lets her through.)
      for (const connection of [one, two]) {
        const refused = await discover(connection);
        expect(refused.status).toBe(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      }
      one.close();
      two.close();
    });

    test('a revoked key, a changed password and a disabled user stop working at once on the worker that did not make the change', async () => {
      const connections = await connectionsToEachWorker(url, 2, 1);
      const [admin, other] = [connections.get(1)?.[0], connections.get(2)?.[0]] as [WorkerConnection, WorkerConnection];
      const asOperator = (path: string, method: string, body?: unknown) =>
        admin.request(`/admin/api${path}`, { method, headers: { Authorization: basic('operator'), 'Content-Type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
      const discoverAs = (authorization: string) => other.request('/taxii2/', { headers: { Authorization: authorization, Accept: TAXII } });

      // A user of the admin API's own (the config's users are the config's to change).
      const created = await asOperator('/users', 'POST', { username: 'ivan', organization: 'globex-lab', roles: ['consumer'], password: 'ivan-first-password-1' });
      const ivan = JSON.parse(created.body) as { id: string };
      const issued = JSON.parse((await asOperator(`/users/${ivan.id}/api-keys`, 'POST', { name: 'cluster test' })).body) as { id: string; token: string };
      // Both credentials verified on the other worker: its verification cache holds them.
      expect((await discoverAs(`Bearer ${issued.token}`)).status).toBe(200);
      expect((await discoverAs(basic('ivan', 'ivan-first-password-1'))).status).toBe(200);

      expect((await asOperator(`/api-keys/${issued.id}/revoke`, 'POST')).status).toBe(200);
      expect((await discoverAs(`Bearer ${issued.token}`)).status).toBe(401);

      expect((await asOperator('/users/ivan', 'PATCH', { password: 'ivan-second-password-2' })).status).toBe(200);
      expect((await discoverAs(basic('ivan', 'ivan-first-password-1'))).status).toBe(401);
      expect((await discoverAs(basic('ivan', 'ivan-second-password-2'))).status).toBe(200);

      expect((await asOperator('/users/ivan', 'PATCH', { disabled: true })).status).toBe(200);
      expect((await discoverAs(basic('ivan', 'ivan-second-password-2'))).status).toBe(401);
      admin.close();
      other.close();
    });

    test('a collection created on one worker is served by the other within the policy recheck interval (1 s)', async () => {
      const connections = await connectionsToEachWorker(url, 2, 1);
      const [admin, other] = [connections.get(1)?.[0], connections.get(2)?.[0]] as [WorkerConnection, WorkerConnection];
      const read = (id: string) => other.request(`/demo/collections/${id}/`, { headers: { Authorization: basic('operator'), Accept: TAXII } });
      const known = JSON.parse((await read(COLLECTION)).body) as { id: string };
      expect(known.id).toBe(COLLECTION); // the other worker has compiled its policy already

      const created = await admin.request('/admin/api/collections', {
        method: 'POST',
        headers: { Authorization: basic('operator'), 'Content-Type': 'application/json' },
        body: JSON.stringify({ api_root: 'demo', title: 'Cluster test', owner: { organization: 'globex-lab' } }),
      });
      expect(created.status).toBe(201);
      const { id } = JSON.parse(created.body) as { id: string };
      const started = Date.now();
      let status = 0;
      while (status !== 200 && Date.now() - started < 10_000) status = (await read(id)).status;
      expect(status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000); // the other worker rechecks policy_revision every second
      admin.close();
      other.close();
    });

    test('a worker that dies is restarted in its slot while the other keeps answering', async () => {
      const before = listeningWorkers(hub);
      const pid = before.get(1) as number;
      const since = hub.logs.length;
      process.kill(pid, 'SIGKILL');
      await hub.waitForLog((line) => primaryLine(/^worker 1 exited unexpectedly \(signal SIGKILL\); restarting it in \d+ ms$/)(line) && line.workerPid === pid, { since });
      const restarted = await hub.waitForLog(primaryLine(/^worker 1 is listening/), { since });
      expect(restarted.workerPid).not.toBe(pid);
      expect(isRunning(restarted.workerPid as number)).toBe(true);
      const connections = await connectionsToEachWorker(url, 2, 1);
      for (const list of connections.values()) {
        const connection = list[0] as WorkerConnection;
        expect((await connection.request('/readyz')).status).toBe(200);
        connection.close();
      }
    }, 60_000);

    test('SIGTERM: a request in flight is answered, then the primary exits 0 and no worker is left', async () => {
      const workers = [...listeningWorkers(hub).values()];
      const body = JSON.stringify({ objects: [indicator(`indicator--${randomUUID()}`, 0, Date.now() - 60_000)] });
      const req = http.request(`${url}${OBJECTS}`, {
        method: 'POST',
        agent: false,
        headers: { Authorization: basic('alice'), Accept: TAXII, 'Content-Type': TAXII, 'Content-Length': String(body.length), Expect: '100-continue' },
      });
      const answered = new Promise<number>((resolve, reject) => {
        req.once('response', (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
        });
        req.once('error', reject);
      });
      // "100 Continue" comes from the worker's HTTP server once it has the request: it is in flight.
      await new Promise<void>((resolve) => req.once('continue', resolve));
      const since = hub.logs.length;
      hub.child.kill('SIGTERM');
      // The signal has reached the workers once one of them says so (waiting for both hung the test
      // under load when one line did not come: the request then waited for a body never sent).
      await hub.waitForLog((line) => line.worker !== undefined && line.msg === 'shutting down: finishing in-flight requests', { since });
      req.end(body);
      expect(await answered).toBe(202);
      expect(await hub.exited).toBe(0);
      expect(workers.filter(isRunning)).toEqual([]);
      expect(hub.logs.some(primaryLine(/^every worker has stopped$/))).toBe(true);
    }, 60_000);
  });

  describe('serve --workers 2 when the workers cannot start', () => {
    test('a crash loop at startup stops the hub with a non-zero status and says why', async () => {
      const scratch = await createPostgresTestDatabaseUrl();
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as net.AddressInfo).port;
      try {
        const hub = startServe(['--workers', '2', '--port', String(port), '--host', '127.0.0.1'], { DATABASE_URL: scratch.url });
        const code = await hub.exited;
        expect(code).toBe(1);
        expect(hub.logs.some(primaryLine(/^worker \d failed to start 3 times in a row \(last: code 1\); stopping the hub$/))).toBe(true);
        expect(hub.stderr()).toContain(`cannot listen on 127.0.0.1:${port} (the address is already in use)`);
      } finally {
        blocker.close();
        await scratch.drop();
      }
    }, 120_000);
  });
}

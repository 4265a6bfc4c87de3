import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { hashSecret } from '../../../../../src/auth/secret-hashing';
import { createLogger } from '../../../../../src/http/ops/logging';
import { createMetrics } from '../../../../../src/http/ops/metrics';
import { composeHubApp } from '../../../../../src/hub-composition';
import { createPolicyService } from '../../../../../src/services/policy-service';
import type { Database } from '../../../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../../../src/storage/tenancy-store';
import { openTestDatabase } from '../../../../support/test-databases';

/**
 * A second taxii-hub on 127.0.0.1, over its own PGlite: the receiving end of a forward. Organization
 * `partner` owns the collection REMOTE_COLLECTION in API root `intake`; its user `ingest` (provider
 * and consumer) writes there with the password INGEST_PASSWORD. In front of the hub's app sits a
 * switch: while `failWith` is set, every request is answered with that HTTP status instead. Tests wait
 * on what the remote answered (events, never sleeps).
 */

export const REMOTE_COLLECTION = 'f0e1d2c3-0000-4000-8000-00000000cafe';
export const INGEST_USER = 'ingest';
export const INGEST_PASSWORD = 'ingest-pw-for-forward-tests';
const TAXII = 'application/taxii+json;version=2.1';

export interface RemoteAnswer {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly accept: string | undefined;
  /** For a POST: how many objects its envelope held (undefined when the body was not an envelope). */
  readonly objects: number | undefined;
}

export interface RemoteTaxiiHub {
  readonly app: Express;
  readonly db: Database;
  readonly store: TenancyStore;
  /** The API root URL a forward names. */
  readonly apiRootUrl: string;
  readonly answers: RemoteAnswer[];
  /** While set, the remote answers every request with this status (and a TAXII error body). */
  failWith: number | undefined;
  /**
   * While true, the remote answers Add Objects as a server that processes later would: it stores the
   * objects, but its 202 says `pending`; the status resource (GET) then says what really happened.
   */
  answerPending: boolean;
  /** Resolves after the remote's next answer. */
  nextAnswer(): Promise<RemoteAnswer>;
  /** Changes the remote collection's attribution (hidden: objects may not name their creator), at once. */
  setAttribution(attribution: 'attributed' | 'hidden'): Promise<void>;
  /** Another collection of `partner` the ingest user writes. */
  addCollection(id: string): Promise<void>;
  /** Every version the remote holds of every object (of REMOTE_COLLECTION unless named), as the ingest user reads them. */
  objects(collection?: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function startRemoteTaxiiHub(): Promise<RemoteTaxiiHub> {
  const db = await openTestDatabase('pglite');
  const store = createSqlTenancyStore(db);
  await store.organizations.insert({ id: 'partner', name: 'Partner SOC', parentId: null, managedBy: 'admin' });
  const userId = randomUUID();
  await store.users.insert({ id: userId, username: INGEST_USER, organizationId: 'partner', roles: ['provider', 'consumer'], disabled: false, managedBy: 'admin' });
  await store.users.setPasswordHash(userId, await hashSecret(INGEST_PASSWORD));
  await store.apiRoots.insert({ id: 'intake', title: 'Intake', description: null, maxContentLength: 10 * 1024 * 1024, managedBy: 'admin' });
  await store.collections.insert({
    id: REMOTE_COLLECTION, apiRootId: 'intake', alias: 'from-partners', title: 'From partners', description: null, owner: { kind: 'organization', id: 'partner' },
    defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin',
  });
  const policy = createPolicyService({ store });
  const app = composeHubApp({
    db, store, policy, hub: { title: 'Remote hub', description: 'the receiving end', contact: 'soc@partner.example', defaultApiRootId: 'intake' },
    settings: { bodyLimitBytes: 10 * 1024 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics(),
  });
  const answers: RemoteAnswer[] = [];
  let waiters: ((answer: RemoteAnswer) => void)[] = [];
  const remote = { failWith: undefined as number | undefined, answerPending: false };
  const server = http.createServer((req, res) => {
    const received: Buffer[] = [];
    let objects: number | undefined;
    res.on('finish', () => {
      const answer: RemoteAnswer = {
        method: req.method ?? '', path: req.url ?? '', status: res.statusCode, authorization: req.headers.authorization,
        contentType: req.headers['content-type'], accept: req.headers.accept, objects,
      };
      answers.push(answer);
      const woken = waiters;
      waiters = [];
      woken.forEach((wake) => wake(answer));
    });
    if (req.method !== 'POST' && remote.failWith === undefined) {
      app(req, res);
      return;
    }
    // A POST is read whole here (to count its objects), then handed to the hub's app, or failed on purpose.
    req.on('data', (chunk: Buffer) => received.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(received).toString('utf8');
      objects = envelopeSize(body);
      if (remote.failWith !== undefined) {
        res.writeHead(remote.failWith, { 'content-type': TAXII });
        res.end(JSON.stringify({ title: 'Unavailable', description: 'the remote is failing on purpose' }));
        return;
      }
      const pending = remote.answerPending;
      void request(app).post(req.url ?? '/').set('Authorization', req.headers.authorization ?? '').set('Content-Type', req.headers['content-type'] ?? '').set('Accept', req.headers.accept ?? '')
        .send(body)
        .then((real) => {
          const status = pending && real.status === 202 ? (JSON.parse(real.text) as Record<string, unknown>) : undefined;
          const answer = status
            ? JSON.stringify({ id: status.id, status: 'pending', request_timestamp: status.request_timestamp, total_count: status.total_count, success_count: 0, failure_count: 0, pending_count: status.total_count, pendings: status.successes })
            : real.text;
          res.writeHead(real.status, { 'content-type': String(real.headers['content-type'] ?? TAXII) });
          res.end(answer);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const basic = `Basic ${Buffer.from(`${INGEST_USER}:${INGEST_PASSWORD}`).toString('base64')}`;
  return Object.assign(remote, {
    app, db, store, answers,
    apiRootUrl: `http://127.0.0.1:${port}/intake/`,
    nextAnswer: () => new Promise<RemoteAnswer>((resolve) => waiters.push(resolve)),
    async setAttribution(attribution: 'attributed' | 'hidden') {
      const collection = await store.collections.get(REMOTE_COLLECTION);
      if (!collection) throw new Error('the remote collection is gone');
      await store.collections.update({ ...collection, attribution });
      policy.invalidate();
    },
    async addCollection(id: string) {
      await store.collections.insert({
        id, apiRootId: 'intake', alias: null, title: `More from partners ${id}`, description: null, owner: { kind: 'organization', id: 'partner' },
        defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin',
      });
      policy.invalidate();
    },
    async objects(collection = REMOTE_COLLECTION) {
      const res = await request(app).get(`/intake/collections/${collection}/objects/?match[version]=all&limit=1000`).set('Authorization', basic).set('Accept', TAXII);
      if (res.status !== 200) throw new Error(`the remote answered ${res.status}: ${res.text}`);
      return ((JSON.parse(res.text) as { objects?: Record<string, unknown>[] }).objects ?? []);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  });
}

function envelopeSize(body: string): number | undefined {
  try {
    const parsed = JSON.parse(body) as { objects?: unknown };
    return Array.isArray(parsed.objects) ? parsed.objects.length : undefined;
  } catch {
    return undefined;
  }
}

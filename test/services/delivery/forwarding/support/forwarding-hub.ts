import type { Express } from 'express';
import request from 'supertest';
import { createLogger } from '../../../../../src/http/ops/logging';
import { createMetrics } from '../../../../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../../../../src/hub-composition';
import type { Database, EngineName } from '../../../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../../../src/storage/tenancy-store';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../../../../support/demo-config';
import { openTestDatabase } from '../../../../support/test-databases';
import { demoAuth } from '../../../../http/support/demo-config-hub';

/**
 * The sending hub of the forwarding tests: the real hub over the demo configuration, composed as
 * `serve` composes it, with its delivery engine running. In ACME internal (a vertical group: acme-hq
 * above acme-east and acme-west) alice (acme-hq) and bob (acme-east) provide; acme-west may push to
 * loopback (127.0.0.1/32 on its delivery allow-list), acme-east may not push anywhere.
 */

export const ACME = DEMO_COLLECTIONS.acmeInternal;

export interface ForwardJson {
  readonly id: string;
  readonly status: string;
  readonly credentials: Record<string, unknown>;
  readonly warnings?: string[];
  readonly delivery: { cursor: string; last_error: string | null; consecutive_failures: number; delivered_objects: number; last_success_at: string | null };
  readonly [key: string]: unknown;
}

export interface ForwardingHub {
  readonly app: Express;
  readonly db: Database;
  readonly store: TenancyStore;
  readonly composed: ComposedHub;
  /** A hub API call as a demo user. */
  api(method: 'get' | 'post' | 'delete', path: string, username: string, body?: unknown): request.Test;
  /** Submits indicators of `kind` with these values to ACME internal (200 expected); their ids in order. */
  submit(username: string, kind: string, values: readonly string[], extra?: Record<string, unknown>): Promise<string[]>;
  /** Makes a forward as the operator (201 expected). */
  forward(body: Record<string, unknown>): Promise<ForwardJson>;
  /** A forward as the operator sees it. */
  show(id: string): Promise<ForwardJson>;
  close(): Promise<void>;
}

export async function startForwardingHub(engine: EngineName): Promise<ForwardingHub> {
  const db = await openTestDatabase(engine);
  const store = createSqlTenancyStore(db);
  const config = await applyDemoConfig(store);
  const west = await store.organizations.get('acme-west');
  if (!west) throw new Error('the demo configuration has no acme-west');
  await store.organizations.update({ ...west, deliveryAllowList: ['127.0.0.1/32'] });
  const composed = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 1024 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
  composed.delivery.start();
  const { app } = composed;
  const api = (method: 'get' | 'post' | 'delete', path: string, username: string, body?: unknown) => {
    const req = request(app)[method](`/api${path}`).set('Authorization', demoAuth(username));
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };
  return {
    app, db, store, composed, api,
    async submit(username, kind, values, extra = {}) {
      const res = await api('post', '/submissions', username, { collection: ACME, valid_from: '2026-11-01T00:00:00Z', ...extra, indicators: values.map((value) => ({ kind, value })) });
      const outcomes = (res.body as { indicators?: { outcome: string }[] }).indicators ?? [];
      if (res.status !== 200 || outcomes.some((i) => i.outcome !== 'created')) throw new Error(`submission answered ${res.status}: ${res.text}`);
      return (res.body as { indicators: { id: string }[] }).indicators.map((i) => i.id);
    },
    async forward(body) {
      const res = await api('post', '/forwards', 'operator', body);
      if (res.status !== 201) throw new Error(`POST /api/forwards answered ${res.status}: ${res.text}`);
      return res.body as ForwardJson;
    },
    async show(id) {
      const res = await api('get', `/forwards/${id}`, 'operator');
      if (res.status !== 200) throw new Error(`GET /api/forwards/${id} answered ${res.status}: ${res.text}`);
      return res.body as ForwardJson;
    },
    async close() {
      await composed.delivery.stop();
      await db.close();
    },
  };
}

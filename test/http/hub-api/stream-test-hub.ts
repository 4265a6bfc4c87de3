import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics, type Metrics } from '../../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../../src/hub-composition';
import type { StreamSettings } from '../../../src/services/streams/stream-settings';
import type { Database, EngineName } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../src/storage/tenancy-store';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../../support/demo-config';
import { openTestDatabase } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';
import { openSse, type SseConnection } from './stream-sse-client';

/**
 * The hub as `serve` composes it, over the demo configuration, listening on a loopback port (a
 * stream needs a real connection), with its live-stream settings given by the test.
 */
export interface StreamTestHub {
  readonly url: string;
  readonly db: Database;
  readonly store: TenancyStore;
  readonly composed: ComposedHub;
  readonly metrics: Metrics;
  /** Opens the stream of `collection` (acme-internal by default) as a demo user. */
  stream(username: string, options?: { readonly query?: string; readonly headers?: Record<string, string>; readonly collection?: string }): Promise<SseConnection>;
  /** Submits one c2-ip indicator as a demo user (unified submission); returns its id. */
  submit(username: string, value: string, options?: { readonly collection?: string; readonly tlp?: string }): Promise<string>;
  close(): Promise<void>;
}

export const ACME = DEMO_COLLECTIONS.acmeInternal;

export async function startStreamTestHub(engine: EngineName, streams: Partial<StreamSettings> = {}): Promise<StreamTestHub> {
  const db = await openTestDatabase(engine);
  const store = createSqlTenancyStore(db);
  const config = await applyDemoConfig(store);
  const metrics = createMetrics();
  const composed = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics, streams });
  const server = http.createServer(composed.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const opened: SseConnection[] = [];
  return {
    url,
    db,
    store,
    composed,
    metrics,
    async stream(username, options = {}) {
      const path = `/api/collections/${options.collection ?? ACME}/stream${options.query !== undefined ? `?${options.query}` : ''}`;
      const connection = await openSse(`${url}${path}`, { Authorization: demoAuth(username), ...options.headers });
      opened.push(connection);
      return connection;
    },
    async submit(username, value, options = {}) {
      const body = { collection: options.collection ?? ACME, valid_from: '2026-11-01T00:00:00Z', ...(options.tlp !== undefined ? { marking: { tlp: options.tlp } } : {}), indicators: [{ kind: 'c2-ip', value }] };
      const response = await fetch(`${url}/api/submissions`, { method: 'POST', headers: { Authorization: demoAuth(username), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const answer = (await response.json()) as { indicators?: { outcome: string; id?: string }[] };
      const item = answer.indicators?.[0];
      if (response.status !== 200 || item?.id === undefined || item.outcome === 'rejected') throw new Error(`the submission failed: ${response.status} ${JSON.stringify(answer)}`);
      return item.id;
    },
    async close() {
      for (const connection of opened) connection.close();
      await composed.streams.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.close();
    },
  };
}

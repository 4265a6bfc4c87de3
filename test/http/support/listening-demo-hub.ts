import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../../src/hub-composition';
import type { Database, EngineName } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../src/storage/tenancy-store';
import { applyDemoConfig } from '../../support/demo-config';
import { openTestDatabase } from '../../support/test-databases';

/** The hub as `serve` composes it, over the demo configuration, listening on a loopback port. */
export interface ListeningDemoHub {
  readonly url: string;
  readonly db: Database;
  readonly store: TenancyStore;
  readonly composed: ComposedHub;
  close(): Promise<void>;
}

/**
 * A test that waits for the delivery engine to push to a loopback receiver: a push answered after the
 * client's timeout on a loaded two-core machine is retried after a backoff, past jest's 30 s.
 */
export const DELIVERY_TEST_MS = 90_000;

export interface ListeningDemoHubOptions {
  /** Runs on the store after the demo configuration is applied, before the hub is composed (e.g. an allow-list). */
  readonly prepare?: (store: TenancyStore) => Promise<void>;
  /** Starts the delivery engine (webhooks, forwards, pushes). */
  readonly delivery?: boolean;
}

export async function startListeningDemoHub(engine: EngineName, options: ListeningDemoHubOptions = {}): Promise<ListeningDemoHub> {
  const db = await openTestDatabase(engine);
  const store = createSqlTenancyStore(db);
  const config = await applyDemoConfig(store);
  await options.prepare?.(store);
  const composed = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 1024 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
  const server = http.createServer(composed.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await composed.changeFeed.ready();
  if (options.delivery === true) composed.delivery.start();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    db,
    store,
    composed,
    async close() {
      await composed.streams.close();
      if (options.delivery === true) await composed.delivery.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.close();
    },
  };
}

/** Lets an organization's deliveries reach receivers on loopback (the operator's allow-list). */
export function allowLoopbackDeliveries(organizationId: string): (store: TenancyStore) => Promise<void> {
  return async (store) => {
    const organization = await store.organizations.get(organizationId);
    if (!organization) throw new Error(`no organization ${organizationId}`);
    await store.organizations.update({ ...organization, deliveryAllowList: ['127.0.0.1/32'] });
  };
}

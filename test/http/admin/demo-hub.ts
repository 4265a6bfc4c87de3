import type { Express } from 'express';
import request from 'supertest';
import { BUNDLED_CONFIG_PATH } from '../../../src/config/hub-config-path';
import { loadHubConfig } from '../../../src/config/load-hub-config';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHubApp } from '../../../src/hub-composition';
import { reconcileConfig } from '../../../src/services/config-reconciler';
import type { Database, EngineName } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../src/storage/tenancy-store';
import { openTestDatabase } from '../../support/test-databases';

/** The demo config's users (collections/users.yaml): each password is `<username>-demo-pw`. */
export type DemoUser = 'operator' | 'alice' | 'bob' | 'carol' | 'dave';

export const basic = (username: string, password = `${username}-demo-pw`): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

export const ADMIN = '/admin/api';

export interface DemoHub {
  readonly app: Express;
  readonly db: Database;
  readonly store: TenancyStore;
  /** An admin API request as one of the demo users (path relative to /admin/api). */
  as(user: DemoUser): AdminClient;
  close(): Promise<void>;
}

export interface AdminClient {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  patch(path: string, body: object): request.Test;
  delete(path: string): request.Test;
}

export const DEMO_BODY_LIMIT = 16 * 1024;

/**
 * The real app, composed as `serve` composes it, over a fresh database (PGlite unless told) with the
 * bundled demo configuration reconciled into it (organizations, users, trust groups, API root, collections).
 */
export async function startDemoHub(engine: EngineName = 'pglite'): Promise<DemoHub> {
  const loaded = await loadHubConfig(BUNDLED_CONFIG_PATH);
  if (!loaded.ok) throw new Error(`demo config: ${JSON.stringify(loaded.errors)}`);
  const db = await openTestDatabase(engine);
  const store = createSqlTenancyStore(db);
  await reconcileConfig(store, loaded.config, { env: {} });
  const app = composeHubApp({
    db,
    store,
    hub: loaded.config.hub,
    settings: { bodyLimitBytes: DEMO_BODY_LIMIT, trustProxy: false },
    logger: createLogger('silent'),
    metrics: createMetrics(),
  });
  const as = (user: DemoUser): AdminClient => {
    const auth = basic(user);
    return {
      get: (path) => request(app).get(ADMIN + path).set('Authorization', auth),
      post: (path, body) => {
        const test = request(app).post(ADMIN + path).set('Authorization', auth);
        return body === undefined ? test : test.send(body);
      },
      patch: (path, body) => request(app).patch(ADMIN + path).set('Authorization', auth).send(body),
      delete: (path) => request(app).delete(ADMIN + path).set('Authorization', auth),
    };
  };
  return { app, db, store, as, close: () => db.close() };
}

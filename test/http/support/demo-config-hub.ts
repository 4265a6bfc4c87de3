import type { Express } from 'express';
import type { HubConfig } from '../../../src/config/hub-config';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHubApp } from '../../../src/hub-composition';
import type { Database, EngineName } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../src/storage/tenancy-store';
import { applyDemoConfig } from '../../support/demo-config';
import { openTestDatabase } from '../../support/test-databases';

export interface DemoConfigHub {
  readonly app: Express;
  readonly db: Database;
  readonly store: TenancyStore;
  readonly config: HubConfig;
  close(): Promise<void>;
}

/** The `Authorization` header of a demo user (password `<username>-demo-pw`). */
export function demoAuth(username: string): string {
  return `Basic ${Buffer.from(`${username}:${username}-demo-pw`).toString('base64')}`;
}

export interface DemoConfigHubOptions {
  /** settings.submissionLimitBytes (the body limit of submissions and TAXII 1.1); the app's default unless given. */
  readonly submissionLimitBytes?: number;
}

/** The real app, composed as `serve` composes it, over a fresh database holding the demo configuration. */
export async function startDemoConfigHub(engine: EngineName = 'pglite', options: DemoConfigHubOptions = {}): Promise<DemoConfigHub> {
  const db = await openTestDatabase(engine);
  const store = createSqlTenancyStore(db);
  const config = await applyDemoConfig(store);
  const app = composeHubApp({
    db,
    store,
    hub: config.hub,
    settings: { bodyLimitBytes: 64 * 1024, trustProxy: false, ...(options.submissionLimitBytes === undefined ? {} : { submissionLimitBytes: options.submissionLimitBytes }) },
    logger: createLogger('silent'),
    metrics: createMetrics(),
  });
  return { app, db, store, config, close: () => db.close() };
}

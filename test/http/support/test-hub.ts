import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { hashSecret } from '../../../src/auth/secret-hashing';
import type { HubInfo } from '../../../src/config/hub-config';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics, type Metrics } from '../../../src/http/ops/metrics';
import { composeHubApp } from '../../../src/hub-composition';
import type { Database, EngineName } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../src/storage/tenancy-store';
import { openTestDatabase } from '../../support/test-databases';

export const OPERATOR = { username: 'olivia', password: 'correct horse battery staple' };

export const TEST_HUB_INFO: HubInfo = {
  title: 'Test hub',
  description: 'A hub for tests',
  contact: 'soc@example.org',
  defaultApiRootId: 'demo',
};

export interface TestHub {
  readonly app: Express;
  readonly db: Database;
  readonly store: TenancyStore;
  readonly metrics: Metrics;
  /** Every JSON log line the app wrote. */
  readonly logLines: string[];
  /** `Authorization` header value of the operator. */
  readonly basicAuth: string;
  close(): Promise<void>;
}

export interface TestHubOptions {
  readonly engine?: EngineName;
  readonly bodyLimitBytes?: number;
  readonly hub?: HubInfo;
}

/**
 * The real app over a fresh database: one organization, one operator with a password, and the API
 * root `demo`. Built with the same composition as `serve`.
 */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const db = await openTestDatabase(options.engine ?? 'pglite');
  const store = createSqlTenancyStore(db);
  await store.organizations.insert({ id: 'acme', name: 'ACME', parentId: null, managedBy: 'admin' });
  const userId = randomUUID();
  await store.users.insert({ id: userId, username: OPERATOR.username, organizationId: 'acme', roles: ['operator'], disabled: false, managedBy: 'admin' });
  await store.users.setPasswordHash(userId, await hashSecret(OPERATOR.password));
  await store.apiRoots.insert({ id: 'demo', title: 'Demo', description: 'Demonstration data', maxContentLength: 10 * 1024 * 1024, managedBy: 'admin' });

  const logLines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logLines.push(line) });
  const metrics = createMetrics();
  const app = composeHubApp({
    db,
    store,
    hub: options.hub ?? TEST_HUB_INFO,
    settings: { bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024, trustProxy: false },
    logger,
    metrics,
  });
  let closed = false;
  return {
    app,
    db,
    store,
    metrics,
    logLines,
    basicAuth: `Basic ${Buffer.from(`${OPERATOR.username}:${OPERATOR.password}`).toString('base64')}`,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}

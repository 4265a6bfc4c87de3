import type { Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app';
import { createAuthenticator } from './auth/authenticator';
import type { HubInfo } from './config/hub-config';
import type { Settings } from './config/settings';
import { createAdminRouter } from './http/admin/admin-router';
import type { Metrics } from './http/ops/metrics';
import { createAdminService } from './services/admin';
import { createCollectionService } from './services/collection-service';
import { createCredentialService } from './services/credential-service';
import { createDiscoveryService } from './services/discovery-service';
import { createObjectIngestService } from './services/object-ingest-service';
import { createObjectReadService } from './services/object-read-service';
import { createNextTokenCodec } from './services/next-token';
import { createPolicyService, type PolicyService } from './services/policy-service';
import type { Database } from './storage/sql/database';
import { SqlHubSecretRepository } from './storage/sql/repositories/hub-secret-repository';
import { SqlObjectStore } from './storage/sql/sql-object-store';
import { SqlStatusStore } from './storage/sql/sql-status-store';
import type { TenancyStore } from './storage/tenancy-store';

export interface HubAppParts {
  readonly db: Database;
  readonly store: TenancyStore;
  readonly hub: HubInfo;
  readonly settings: Pick<Settings, 'bodyLimitBytes' | 'trustProxy'>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The access policy over `store`; a fresh one when not given (server.ts passes the one it warmed up after reconciling). */
  readonly policy?: PolicyService;
}

/** The composition root: services over the store, the authenticator, the routers, the app. */
export function composeHubApp(parts: HubAppParts): Express {
  const { store } = parts;
  const policy = parts.policy ?? createPolicyService({ store, logger: parts.logger });
  const authenticator = createAuthenticator({ credentials: createCredentialService(store) });
  const admin = createAdminService({
    store,
    policy,
    credentialEvents: { userCredentialsChanged: authenticator.forgetUser, apiKeyChanged: authenticator.forgetApiKey },
  });
  const collections = createCollectionService({ store, policy });
  const objects = new SqlObjectStore(parts.db, {
    onStatisticsError: (error) => parts.logger.warn({ err: error }, 'refreshing the planner statistics of stored objects failed'),
  });
  return createApp({
    settings: parts.settings,
    logger: parts.logger,
    metrics: parts.metrics,
    authenticate: authenticator.middleware,
    adminRouter: createAdminRouter({ admin, authenticate: authenticator.middleware, bodyLimitBytes: parts.settings.bodyLimitBytes }),
    discovery: createDiscoveryService({ store, hub: parts.hub }),
    collections,
    objectIngest: createObjectIngestService({
      collections,
      apiRoots: store.apiRoots,
      objects,
      statuses: new SqlStatusStore(parts.db),
      onPurgeError: (error) => parts.logger.warn({ err: error }, 'purging expired TAXII statuses failed'),
    }),
    objectReads: createObjectReadService({
      collections,
      objects,
      policy,
      nextTokens: createNextTokenCodec(new SqlHubSecretRepository(parts.db)),
    }),
    readiness: () => parts.db.ping(),
  });
}

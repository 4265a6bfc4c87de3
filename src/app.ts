import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Settings } from './config/settings';
import { createErrorMiddleware, notFoundHandler } from './http/errors/error-middleware';
import { createHttpLogger } from './http/ops/logging';
import { markMountPath, metricsMiddleware, type Metrics } from './http/ops/metrics';
import { createOpsRouter } from './http/ops/ops-router';
import { ADMIN_API_PREFIX, CONSOLE_PREFIX, HUB_API_PREFIX } from './http/route-table';
import { createTaxii21Router } from './http/taxii21/taxii21-router';
import type { CollectionService } from './services/collection-service';
import type { DiscoveryService } from './services/discovery-service';
import type { ObjectIngestService } from './services/object-ingest-service';
import type { ObjectReadService } from './services/object-read-service';

export interface AppDependencies {
  readonly settings: Pick<Settings, 'trustProxy'>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Sets req.user from Basic credentials or an API key; answers 401 for bad credentials. */
  readonly authenticate: RequestHandler;
  /** The admin API, mounted at ADMIN_API_PREFIX; it authenticates, parses its JSON bodies and authorises itself. */
  readonly adminRouter: Router;
  /** The hub API (submissions, indicators), mounted at HUB_API_PREFIX; it authenticates and parses its bodies itself. */
  readonly hubApiRouter: Router;
  /** TAXII 1.1 (its services at /taxii1/...); it authenticates, reads its XML bodies and answers its own errors. */
  readonly taxii11Router: Router;
  /** The web console (page, bundle, session routes), mounted at CONSOLE_PREFIX; absent: no console. */
  readonly consoleRouter?: Router;
  readonly discovery: DiscoveryService;
  readonly collections: CollectionService;
  /** TAXII 2.1 Add Objects and status resources. */
  readonly objectIngest: ObjectIngestService;
  /** TAXII 2.1 object reads (objects, object, versions, manifest) and Delete an Object. */
  readonly objectReads: ObjectReadService;
  /** Throws when the database is unreachable. */
  readonly readiness: () => Promise<void>;
}

/**
 * The HTTP application: ops endpoints, the admin API, TAXII 2.1, and one error middleware that
 * renders every failure in the protocol of the request. Everything it uses is passed in.
 */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.settings.trustProxy);
  // express 5's default 'simple' query parser (node:querystring) stays: TAXII filters such as
  // match[type] are read from the raw query string by their handlers, never through nested objects.
  app.set('query parser', 'simple');

  app.use(createHttpLogger(deps.logger));
  app.use(metricsMiddleware(deps.metrics));
  app.use(helmet());

  app.use(createOpsRouter({ metrics: deps.metrics, readiness: deps.readiness }));
  app.use(
    ADMIN_API_PREFIX,
    markMountPath(ADMIN_API_PREFIX),
    deps.adminRouter,
    notFoundHandler, // nothing under the admin prefix falls through to TAXII
  );
  app.use(HUB_API_PREFIX, markMountPath(HUB_API_PREFIX), deps.hubApiRouter, notFoundHandler);
  if (deps.consoleRouter) app.use(CONSOLE_PREFIX, markMountPath(CONSOLE_PREFIX), deps.consoleRouter, notFoundHandler);
  app.use(deps.taxii11Router);
  app.use(createTaxii21Router({ authenticate: deps.authenticate, discovery: deps.discovery, collections: deps.collections, objectIngest: deps.objectIngest, objectReads: deps.objectReads }));

  app.use(notFoundHandler);
  app.use(createErrorMiddleware({ metrics: deps.metrics }));
  return app;
}

import type { Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app';
import { createAuthenticator } from './auth/authenticator';
import type { ConfigDeclarations } from './config/config-declarations';
import { loginThrottleOn } from './auth/login-throttle-on';
import type { HubInfo } from './config/hub-config';
import type { Settings } from './config/settings';
import { warningListsFor } from './config/warning-list-files';
import { createAdminRouter } from './http/admin/admin-router';
import { createConsoleRouter } from './http/console/console-router';
import { createConsoleSessionService } from './services/console-sessions/console-session-service';
import { SqlConsoleSessionStore } from './storage/sql/sql-console-session-store';
import { createHubApiRouter } from './http/hub-api/hub-api-router';
import { createCollectionDirectory } from './services/collection-directory/collection-directory';
import { createCollectionFiguresService } from './services/collection-directory/collection-figures';
import { SqlCollectionFiguresStore } from './storage/sql/sql-collection-figures-store';
import { createPollRecorder, type PollRecorder } from './services/poll-marks/poll-recorder';
import { SqlPollMarkStore } from './storage/sql/sql-poll-mark-store';
import { collectionIdResolver } from './http/hub-api/change-routes';
import type { Metrics } from './http/ops/metrics';
import { createAdminService } from './services/admin';
import { createCollectionService } from './services/collection-service';
import { createCredentialService } from './services/credential-service';
import { createDiscoveryService } from './services/discovery-service';
import { createObjectIngestService } from './services/object-ingest-service';
import { createObjectReadService } from './services/object-read-service';
import { createNextTokenCodec } from './services/next-token';
import { createPolicyService, type PolicyService } from './services/policy-service';
import { createSubmissionService } from './services/submission-service';
import { hubIdentityOf } from './services/sharing/hub-identity';
import { createIndicatorLifecycleService } from './services/indicator-lifecycle-service';
import { createSightingService } from './services/sightings/sighting-service';
import { SqlSightingStore } from './storage/sql/sql-sighting-store';
import { createSubmissionValidator } from './validation/submission-validator';
import type { Database } from './storage/sql/database';
import { SqlHubSecretRepository } from './storage/sql/repositories/hub-secret-repository';
import { SqlObjectStore } from './storage/sql/sql-object-store';
import { SqlStatusStore } from './storage/sql/sql-status-store';
import type { TenancyStore } from './storage/tenancy-store';
import { createStixValidator } from './validation/stix-validator';
import { composeTaxii11 } from './taxii11-composition';
import type { DeliveryEngine } from './services/delivery/delivery-engine';
import { createChangeFeedService } from './services/delivery/change-feed/change-feed-reader';
import type { ChangeFeedService } from './services/delivery/change-feed/change-feed-service';
import { createChangeNotifier, type ChangeNotifier } from './services/delivery/change-feed/change-notifier';
import { createExpiryScheduler, type ExpiryScheduler } from './services/delivery/change-feed/expiry-scheduler';
import type { AudienceStore, ChangeFeedStore } from './storage/change-feed-store';
import { SqlAudienceStore } from './storage/sql/sql-audience-store';
import { SqlChangeFeedStore } from './storage/sql/sql-change-feed-store';
import { createStreamBroker, type StreamBroker } from './services/streams/stream-broker';
import type { StreamSettings } from './services/streams/stream-settings';
import { registerStreamMetrics } from './http/ops/stream-metrics';
import { composeFeeds } from './feeds-composition';
import type { FeedService } from './services/feeds/feed-service';
import { composeAnalysis, type Analysis } from './analysis-composition';
import { createMatchService, type MatchService } from './services/matching/match-service';
import { createMatchIndex } from './domain/matching';
import { createLogLineReader } from './domain/matching/log-formats';
import { SqlSensorFeedStore } from './storage/sql/sql-sensor-feed-store';

export interface HubAppParts {
  readonly db: Database;
  readonly store: TenancyStore;
  readonly hub: HubInfo;
  readonly settings: Pick<Settings, 'bodyLimitBytes' | 'trustProxy'> & Partial<Pick<Settings, 'submissionLimitBytes' | 'publicUrl'>>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The access policy over `store`; a fresh one when not given (server.ts passes the one it warmed up after reconciling). */
  readonly policy?: PolicyService;
  /** Live stream settings (heartbeat, caps, ...) over the defaults of stream-settings.ts. */
  readonly streams?: Partial<StreamSettings>;
  /** How often the change feed's expiry pass runs (30 s by default). */
  readonly expiryIntervalMs?: number;
  /** Where the built web console is (dist/console by default). */
  readonly consoleAssetsDir?: string;
  /** Where the config declares its entities, for the admin API's 409 on a config-managed one. */
  readonly configDeclarations?: ConfigDeclarations;
  /** How often recorded polls are written (5 s by default). */
  readonly pollFlushIntervalMs?: number;
}

/** The submission body limit when the settings give none (tests). */
const DEFAULT_SUBMISSION_LIMIT_BYTES = 16 * 1024 * 1024;

/** The sharing services over one database: what the HTTP app serves, and what the local CLI (import) runs in-process. */
export function createSharingServices(parts: {
  readonly db: Database;
  readonly store: TenancyStore;
  readonly logger: Logger;
  readonly policy?: PolicyService;
  /** Discovery information and defaults of the hub config (default validity of submitted indicators). */
  readonly hub?: Pick<HubInfo, 'indicatorValidityDays' | 'warningListPaths'>;
  /** Where submission outcomes and lifecycle changes are counted. */
  readonly metrics?: Pick<Metrics, 'submittedIndicators' | 'indicatorTransitions'>;
  /** Told after every committed write to a collection. */
  readonly onWrite?: (collectionId: string) => void;
}) {
  const { metrics } = parts;
  const validateStix = createStixValidator(); // compiled once (hundreds of ms), shared by every write path
  const { store } = parts;
  const policy = parts.policy ?? createPolicyService({ store, logger: parts.logger });
  const collections = createCollectionService({ store, policy });
  const objects = new SqlObjectStore(parts.db, {
    onStatisticsError: (error) => parts.logger.warn({ err: error }, 'refreshing the planner statistics of stored objects failed'),
    ...(parts.onWrite !== undefined ? { onWrite: parts.onWrite } : {}),
  });
  const hubIdentity = hubIdentityOf(objects); // one per hub: made once, read once per process
  const warningLists = warningListsFor(parts.hub?.warningListPaths); // checked at submission, and by sensor feeds at export
  return {
    policy,
    collections,
    objects,
    hubIdentity,
    validateStix,
    warningLists,
    submissions: createSubmissionService({
      hubIdentity,
      collections,
      store,
      objects,
      policy,
      validate: createSubmissionValidator(),
      validateStix,
      warningLists,
      ...(parts.hub?.indicatorValidityDays !== undefined ? { validityDays: parts.hub.indicatorValidityDays } : {}),
      ...(metrics !== undefined
        ? { onSubmitted: (summary) => { for (const [outcome, count] of Object.entries(summary)) if (count > 0) metrics.submittedIndicators.inc({ outcome }, count); } }
        : {}),
    }),
    indicators: createIndicatorLifecycleService({
      hubIdentity,
      policy,
      collections,
      store,
      objects,
      validate: validateStix,
      ...(metrics !== undefined ? { onTransition: (transition) => metrics.indicatorTransitions.inc({ transition }) } : {}),
    }),
    sightings: createSightingService({ hubIdentity, policy, collections, store, objects, sightings: new SqlSightingStore(parts.db, objects), validateStix }),
    objectIngest: createObjectIngestService({
      hubIdentity,
      policy,
      collections,
      apiRoots: store.apiRoots,
      objects,
      statuses: new SqlStatusStore(parts.db),
      validate: validateStix,
      onPurgeError: (error) => parts.logger.warn({ err: error }, 'purging expired TAXII statuses failed'),
    }),
  };
}

export type SharingServices = ReturnType<typeof createSharingServices>;

/** The HTTP app and what runs beside it: the delivery engine and the expiry scheduler (started by the caller). */
export interface ComposedHub {
  readonly app: Express;
  readonly delivery: DeliveryEngine;
  /** The change feed as readers see it (signed cursors, access decided as TAXII reads). */
  readonly changeFeed: ChangeFeedService;
  readonly changeFeedStore: ChangeFeedStore;
  readonly audiences: AudienceStore;
  /** "Collection X got events": every committed write and every expiry pass that emitted events. */
  readonly changes: ChangeNotifier;
  /** Announces expired indicators every 30 s (started by the caller, beside the delivery engine). */
  readonly expiry: ExpiryScheduler;
  /** Sensor feeds (their counters show what the rendered-feed cache saved). */
  readonly feeds: FeedService;
  /** The live streams (closed by the caller before the HTTP server, so open streams do not hold shutdown). */
  readonly streams: StreamBroker;
  /** POST /api/match (its counters show index builds and the cache). */
  readonly matches: MatchService;
  /** Pivot and campaign grouping; its indexer is started by the caller, beside the delivery engine. */
  readonly analysis: Analysis;
  /** Records TAXII polls in memory and writes them in batches; stopped (flushed) by the caller before the database closes. */
  readonly polls: PollRecorder;
}

/** The HTTP app alone (tests): its delivery engine is never started. */
export function composeHubApp(parts: HubAppParts): Express {
  return composeHub(parts).app;
}

/** The composition root: services over the store, the authenticator, the routers, the app, the delivery engine. */
export function composeHub(parts: HubAppParts): ComposedHub {
  const { store } = parts;
  // Every committed write (and every expiry pass with events) is told to the change notifier; the
  // delivery engine subscribes once it exists, streams and feed caches subscribe through `changes`.
  const changes = createChangeNotifier((error) => parts.logger.error({ err: error }, 'a change-feed listener failed'));
  const sharing = createSharingServices({ ...parts, onWrite: (collectionId) => changes.notify(collectionId) });
  const { policy, collections, objects, hubIdentity } = sharing;
  const consoleSessions = createConsoleSessionService({ store: new SqlConsoleSessionStore(parts.db), userById: (id) => store.users.get(id) });
  const polls = createPollRecorder({
    store: new SqlPollMarkStore(parts.db),
    onError: (error) => parts.logger.warn({ err: error }, 'writing the recorded TAXII polls failed; the next flush retries'),
    ...(parts.pollFlushIntervalMs !== undefined ? { intervalMs: parts.pollFlushIntervalMs } : {}),
  });
  const authenticator = createAuthenticator({ credentials: createCredentialService(store), throttle: loginThrottleOn(parts.db), logger: parts.logger, sessions: consoleSessions });
  const taxii11 = composeTaxii11({
    db: parts.db,
    store,
    policy,
    collections,
    objects,
    hubIdentity,
    validate: sharing.validateStix,
    authenticate: authenticator.middleware,
    hubName: parts.hub.title,
    publicUrl: parts.settings.publicUrl,
    bodyLimitBytes: parts.settings.submissionLimitBytes ?? DEFAULT_SUBMISSION_LIMIT_BYTES,
    onUnmapped: (count) => parts.metrics.taxii11UnmappedRecords.inc(count),
    onRenderError: (error) => parts.logger.warn({ err: error }, 'rendering a record as STIX 1.x failed; it was left out of the TAXII 1.1 answer'),
    logger: parts.logger,
    metrics: parts.metrics,
    polls,
  });
  changes.subscribe((collectionId) => taxii11.delivery.engine.wake(collectionId));
  const changeFeedStore = new SqlChangeFeedStore(parts.db);
  const audiences = new SqlAudienceStore(parts.db);
  const changeFeed = createChangeFeedService({ collections, policy, store: changeFeedStore, audiences, secrets: new SqlHubSecretRepository(parts.db) });
  const expiry = createExpiryScheduler({
    store: changeFeedStore,
    onEvents: (collectionId) => changes.notify(collectionId),
    onError: (error) => parts.logger.warn({ err: error }, 'the expiry pass of the change feed failed; the next pass retries'),
    ...(parts.expiryIntervalMs !== undefined ? { intervalMs: parts.expiryIntervalMs } : {}),
  });
  const feeds = composeFeeds({ db: parts.db, policy, collections, changeFeed, changeFeedStore, hubName: parts.hub.title, warningLists: sharing.warningLists, polls });
  const matches = createMatchService({
    policy, collections, changeFeed, audiences, feeds: new SqlSensorFeedStore(parts.db), lastPosition: (collectionId) => changeFeedStore.lastPosition(collectionId), createIndex: createMatchIndex, readerFor: createLogLineReader,
  });
  const analysis = composeAnalysis({ db: parts.db, logger: parts.logger, changes, policy, collections, sightings: sharing.sightings, pivotStix: { hubIdentity, validateStix: sharing.validateStix },
    campaignCandidates: { objects, tenancy: store, validate: sharing.validateStix, hubIdentity, ...(parts.hub.campaignCandidates !== undefined ? { thresholds: parts.hub.campaignCandidates } : {}) } });
  const streams = createStreamBroker({
    changeFeed,
    lastPosition: (collectionId) => changeFeedStore.lastPosition(collectionId),
    policy,
    changes,
    metrics: registerStreamMetrics(parts.metrics.registry),
    logger: parts.logger,
    polls,
    ...(parts.streams !== undefined ? { settings: parts.streams } : {}),
  });
  const { delivery } = taxii11;
  const admin = createAdminService({
    store,
    policy,
    ...(parts.configDeclarations !== undefined ? { configDeclarations: parts.configDeclarations } : {}),
    credentialEvents: {
      userCredentialsChanged: (userId) => {
        authenticator.forgetUser(userId);
        // A new password (or a disabled or deleted user) ends the user's console sessions.
        consoleSessions.endSessionsOf(userId).catch((error: unknown) => parts.logger.warn({ err: error }, 'ending the console sessions of a changed user failed'));
        streams.credentialsChanged({ userId });
      },
      apiKeyChanged: (keyId) => {
        authenticator.forgetApiKey(keyId);
        streams.credentialsChanged({ apiKeyId: keyId });
      },
    },
    subscriptions: { store: delivery.store, deliveryStatus: (subscription) => delivery.subscriptions.deliveryStatus(subscription) },
  });
  const app = createApp({
    settings: parts.settings,
    taxii11Router: taxii11.router,
    consoleRouter: createConsoleRouter({ sessions: consoleSessions, authenticator, ...(parts.consoleAssetsDir !== undefined ? { assetsDir: parts.consoleAssetsDir } : {}) }),
    logger: parts.logger,
    metrics: parts.metrics,
    authenticate: authenticator.middleware,
    adminRouter: createAdminRouter({ admin, authenticate: authenticator.middleware, bodyLimitBytes: parts.settings.bodyLimitBytes }),
    hubApiRouter: createHubApiRouter({
      services: { submissions: sharing.submissions, indicators: sharing.indicators, collectionDirectory: createCollectionDirectory({ policy }), collectionFigures: createCollectionFiguresService({ policy, store: new SqlCollectionFiguresStore(parts.db), polls: { recorder: polls, marks: new SqlPollMarkStore(parts.db) } }), sightings: sharing.sightings, forwards: delivery.forwards, webhooks: delivery.webhooks, changeFeed, polls, collectionIdOf: collectionIdResolver(policy), matches, pivot: analysis.pivot, campaigns: analysis.campaigns },
      authenticate: authenticator.middleware,
      bodyLimitBytes: parts.settings.submissionLimitBytes ?? DEFAULT_SUBMISSION_LIMIT_BYTES,
      feeds,
      streams,
    }),
    discovery: createDiscoveryService({ store, hub: parts.hub }),
    collections,
    objectIngest: sharing.objectIngest,
    objectReads: createObjectReadService({
      collections,
      objects,
      hubIdentity,
      policy,
      nextTokens: createNextTokenCodec(new SqlHubSecretRepository(parts.db)),
      polls,
    }),
    readiness: () => parts.db.ping(),
  });
  return { app, delivery: taxii11.delivery.engine, changeFeed, changeFeedStore, audiences, changes, expiry, feeds, streams, matches, analysis, polls };
}

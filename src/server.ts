import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { describeDatabaseUrl, type Settings } from './config/settings';
import { readConfigDeclarations } from './config/config-declarations';
import { formatConfigProblem, type HubConfig, type HubInfo } from './config/hub-config';
import { loadHubConfig } from './config/load-hub-config';
import { formatReconcileReport, reconcileConfig } from './services/config-reconciler';
import { createPolicyService, PolicyUnavailableError, type PolicyService } from './services/policy-service';
import { isHubError } from './domain/errors';
import { answerClientErrors } from './http/errors/client-error';
import { isDatabaseUnavailable } from './http/errors/database-unavailable';
import { createLogger } from './http/ops/logging';
import { createMetrics } from './http/ops/metrics';
import { composeHub } from './hub-composition';
import type { DeliveryEngine } from './services/delivery/delivery-engine';
import type { Database } from './storage/sql/database';
import type { TenancyStore } from './storage/tenancy-store';
import { DirectoryLockedError } from './storage/sql/directory-lock';
import { openDatabase } from './storage/sql/open-database';
import { openPglite } from './storage/sql/pglite-engine';
import { openPostgres } from './storage/sql/postgres-engine';
import { createSqlTenancyStore } from './storage/sql/sql-tenancy-store';

/**
 * Starting and stopping the hub: config → database → reconcile → app → listen, and the reverse on
 * shutdown. Signal handling lives in the serve command; this module is usable in-process (tests).
 *
 * With `serve --workers N` the start is split: the primary runs `prepareStore` once (config,
 * migrations, reconcile, a policy check), then each worker runs `startHub` with `worker` set and
 * skips those steps, so N workers never race each other over the schema or the config.
 */

export interface StartOptions {
  readonly settings: Settings;
  /** Defaults to a JSON logger on stdout at settings.logLevel. */
  readonly logger?: Logger;
  /** Environment for config users whose password comes from a variable. */
  readonly env?: NodeJS.ProcessEnv;
  /** How long in-flight requests may take to finish on shutdown before their connections are cut. */
  readonly shutdownTimeoutMs?: number;
  /**
   * Set when this process is worker `slot` of `serve --workers N`: its primary has already migrated
   * the database and applied the hub config (prepareStore), so this process does neither, serves the
   * discovery information `hub` the primary read, and labels its metrics with `worker="<slot>"`.
   */
  readonly worker?: WorkerRole;
}

export interface WorkerRole {
  readonly slot: number;
  readonly hub: HubInfo;
}

/** Database connections each worker of `serve --workers N` may open (the same as a single process). */
export const WORKER_POOL_SIZE = 10;

export interface RunningHub {
  /** Where the hub listens, e.g. http://127.0.0.1:8080 (the port resolved when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  /** The HTTP app the server runs; the serve command also serves it on the local socket. */
  readonly app: http.RequestListener;
  readonly database: Database;
  /** Stops accepting connections, lets in-flight requests finish, closes the database. Idempotent. */
  shutdown(): Promise<void>;
}

/** A start that failed for a reason the operator can fix; `problems` lists every one found. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export async function startHub(options: StartOptions): Promise<RunningHub> {
  const { settings, worker } = options;
  const logger = options.logger ?? createLogger(settings.logLevel);
  const config = worker ? undefined : await loadConfigOrFail(settings.configPath);
  const db = await openDatabaseOrFail(settings, worker ? { migrate: false, maxConnections: WORKER_POOL_SIZE } : {});
  try {
    const store = createSqlTenancyStore(db);
    if (config) await reconcileOrFail(db, store, config, options.env ?? process.env, logger);
    const policy = await compilePolicyOrFail(store, logger);
    const metrics = createMetrics();
    if (worker) metrics.registry.setDefaultLabels({ worker: String(worker.slot) });
    const hub = worker?.hub ?? (config as HubConfig).hub;
    const { app, delivery, expiry, streams, changeFeed, analysis, polls } = composeHub({
      db,
      store,
      hub,
      settings,
      logger,
      metrics,
      policy,
      streams: { perPrincipalLimit: settings.streamsPerKey, globalLimit: settings.streamsMax, heartbeatMs: settings.streamHeartbeatSeconds * 1000 },
      configDeclarations: await readConfigDeclarations(settings.configPath),
    });
    await changeFeed.ready(); // the cursor key, before the first request: a cursor from before a restart verifies at once
    const server = http.createServer(app);
    answerClientErrors(server, logger); // malformed HTTP gets the error form of its path, not a bare status line
    const port = await listen(server, settings);
    const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;
    logger.info({ url, publicUrl: settings.publicUrl, engine: db.engine }, `taxii-hub listening on ${url}`);
    delivery.start(); // pushes to subscribers; every worker runs one, claims keep them apart
    expiry.start(); // announces expired indicators; every worker runs one, the store announces each once
    analysis.indexer.start(); // analysis keys of new indicators; every worker runs one, keys and marks are idempotent
    return { url, port, server, app, database: db, shutdown: shutdownOnce(server, [delivery, expiry, analysis.indexer], db, logger, options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS, streams, polls) };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

export interface PrepareOptions {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly env?: NodeJS.ProcessEnv;
  /** Runs on the prepared database before it is closed (the primary checks its connection budget). */
  readonly inspect?: (db: Database) => Promise<void>;
}

/**
 * The once-per-hub part of a start, for the primary of `serve --workers N`: reads the config,
 * migrates, applies the config and checks that the stored state compiles into an access policy,
 * then closes the database. Returns the discovery information the workers serve.
 */
export async function prepareStore(options: PrepareOptions): Promise<HubInfo> {
  const { settings, logger } = options;
  const config = await loadConfigOrFail(settings.configPath);
  const db = await openDatabaseOrFail(settings);
  try {
    const store = createSqlTenancyStore(db);
    await reconcileOrFail(db, store, config, options.env ?? process.env, logger);
    await compilePolicyOrFail(store, logger);
    await options.inspect?.(db);
    return config.hub;
  } finally {
    await db.close().catch(() => {});
  }
}

async function loadConfigOrFail(configPath: string): Promise<HubConfig> {
  const loaded = await loadHubConfig(configPath);
  if (loaded.ok) return loaded.config;
  const count = loaded.errors.length;
  throw new StartupError(`the hub config at ${configPath} has ${count} ${count === 1 ? 'problem' : 'problems'}`, loaded.errors.map(formatConfigProblem));
}

/** An arbitrary constant shared by every hub process (migrate's lock is 727_274_811). */
const RECONCILE_LOCK_KEY = 727_274_812;

/**
 * Applies the config. On PostgreSQL, under an advisory lock held by a second connection until the
 * reconcile has committed: hub processes started at once on other hosts (or containers) against the
 * same server apply it one after the other, the later ones finding nothing to change, instead of
 * failing on each other's inserts. (PGlite has one connection and one process: no lock needed.)
 */
async function reconcileOrFail(db: Database, store: TenancyStore, config: HubConfig, env: NodeJS.ProcessEnv, logger: Logger): Promise<void> {
  const reconcile = () => reconcileConfig(store, config, { env });
  try {
    const report =
      db.engine === 'postgres'
        ? await db.transaction(async (tx) => {
            await tx.query('SELECT pg_advisory_xact_lock($1)', [RECONCILE_LOCK_KEY]);
            return reconcile();
          })
        : await reconcile();
    logger.info({ changed: report.changed }, `hub config applied: ${formatReconcileReport(report)}`);
  } catch (error) {
    if (!isHubError(error) || (error.code !== 'VALIDATION_FAILED' && error.code !== 'CONFLICT')) throw error;
    const problems = (error.details.problems ?? []).map((p) => `${p.path}: ${p.message}`);
    throw new StartupError(problems.length > 0 ? 'cannot apply the hub config' : (error.details.description ?? error.message), problems);
  }
}

/**
 * Compiles the access policy from the reconciled store before the first request, so a hub whose
 * stored organizations, trust groups and collections mean nothing clear does not start.
 */
async function compilePolicyOrFail(store: TenancyStore, logger: Logger): Promise<PolicyService> {
  const policy = createPolicyService({ store, logger });
  try {
    await policy.current();
  } catch (error) {
    if (!(error instanceof PolicyUnavailableError)) throw error;
    throw new StartupError('the stored organizations, trust groups and collections do not form a valid access policy', error.problems.map((p) => `${p.path}: ${p.message}`));
  }
  return policy;
}

export interface OpenOptions {
  /** Bring the schema up to date (the default); a worker whose primary already did opens without. */
  readonly migrate?: boolean;
  /** The PostgreSQL pool size; the engine's default when absent. */
  readonly maxConnections?: number;
}

/** Opens the configured engine; a failure becomes one line naming the database and the cause, never the password. */
export async function openDatabaseOrFail(settings: Pick<Settings, 'databaseUrl' | 'dataDir'>, options: OpenOptions = {}): Promise<Database> {
  const { databaseUrl } = settings;
  try {
    if (options.migrate !== false) {
      return await openDatabase(databaseUrl ? { engine: 'postgres', url: databaseUrl } : { engine: 'pglite', dataDir: settings.dataDir });
    }
    return databaseUrl
      ? await openPostgres({ connectionString: databaseUrl, ...(options.maxConnections !== undefined && { maxConnections: options.maxConnections }) })
      : await openPglite({ dataDir: settings.dataDir });
  } catch (error) {
    if (error instanceof DirectoryLockedError) throw new StartupError(error.message);
    const cause = describeCause(error);
    if (!databaseUrl) throw new StartupError(`cannot open the embedded database in ${settings.dataDir} (${cause})`);
    const where = describeDatabaseUrl(databaseUrl);
    throw new StartupError(isDatabaseUnavailable(error) ? `cannot reach the database at ${where} (${cause})` : `cannot use the database at ${where} (${cause})`);
  }
}

/** The short cause of a failure: a system error code (ECONNREFUSED) or the server's message. */
function describeCause(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  if (typeof message === 'string' && message !== '') return message.split('\n')[0] ?? message;
  if (Array.isArray(errors) && errors.length > 0) return describeCause(errors[0]); // AggregateError (IPv4 + IPv6 attempts)
  return typeof code === 'string' ? code : 'unknown error';
}

function listen(server: http.Server, settings: Pick<Settings, 'port' | 'host'>): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the address is already in use' : error.code === 'EACCES' ? 'permission denied' : error.message;
      reject(new StartupError(`cannot listen on ${settings.host}:${settings.port} (${reason})`));
    };
    server.once('error', onError);
    server.listen(settings.port, settings.host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function shutdownOnce(server: http.Server, beside: readonly Pick<DeliveryEngine, 'stop'>[], db: Database, logger: Logger, timeoutMs: number, streams?: { close(): Promise<void> }, polls?: { stop(): Promise<void> }): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      logger.info('shutting down: finishing in-flight requests');
      // Live streams never finish on their own: end them first, or the server waits out its timeout.
      await streams?.close();
      await Promise.all([closeServer(server, timeoutMs, logger), ...beside.map((b) => b.stop())]);
      await polls?.stop(); // the polls recorded until the last request finished, before the database closes
      await db.close();
      logger.info('shut down');
      logger.flush();
    })();
    return stopping;
  };
}

/** Stops accepting connections and waits for open requests, cutting them after `timeoutMs`. */
function closeServer(server: http.Server, timeoutMs: number, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger.warn({ timeoutMs }, 'in-flight requests did not finish in time; closing their connections');
      server.closeAllConnections();
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections(); // keep-alive connections with no request would hold close() open
  });
}

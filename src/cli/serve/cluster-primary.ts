import cluster, { type Worker } from 'node:cluster';
import type { HubInfo } from '../../config/hub-config';
import type { Logger } from '../../http/ops/logging';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, WORKER_POOL_SIZE } from '../../server';
import type { Database } from '../../storage/sql/database';
import { DEFAULT_RESTART_POLICY, SlotHistory, type RestartPolicy } from './restart-policy';
import { workerRoleEnv } from './worker-role';

/**
 * The primary of `serve --workers N`, once the store is prepared (server.ts prepareStore): forks N
 * workers that share the port (node:cluster hands each new connection to the next worker), restarts
 * a worker that dies (restart-policy.ts), gives up on a crash loop at startup, and on SIGTERM or
 * SIGINT forwards SIGTERM to every worker and waits for them to finish their in-flight requests.
 * A second signal kills the workers at once. Resolves with the exit status for the primary.
 */

export interface SuperviseOptions {
  readonly workers: number;
  /** Discovery information every worker serves (from the config the primary applied). */
  readonly hub: HubInfo;
  readonly logger: Logger;
  readonly restartPolicy?: RestartPolicy;
  /** How long a worker may take to finish its in-flight requests (its own shutdown timeout). */
  readonly shutdownTimeoutMs?: number;
}

/** Beyond the workers' own shutdown timeout, how long the primary waits before killing them. */
const SHUTDOWN_GRACE_MS = 5_000;

interface Slot {
  readonly number: number;
  readonly history: SlotHistory;
  worker: Worker | undefined;
  listening: boolean;
  restartTimer: NodeJS.Timeout | undefined;
}

export function superviseWorkers(options: SuperviseOptions): Promise<number> {
  const log = options.logger;
  const slots: Slot[] = Array.from({ length: options.workers }, (_, i) => ({
    number: i + 1,
    history: new SlotHistory(options.restartPolicy ?? DEFAULT_RESTART_POLICY),
    worker: undefined,
    listening: false,
    restartTimer: undefined,
  }));
  let stopping: { code: number } | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let finished: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finished = resolve));

  const live = () => slots.flatMap((slot) => (slot.worker ? [slot.worker] : []));

  const finishIfDone = () => {
    if (!stopping || live().length > 0) return;
    clearTimeout(killTimer);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    log.info({ code: stopping.code }, 'every worker has stopped');
    finished(stopping.code);
  };

  const fork = (slot: Slot) => {
    slot.restartTimer = undefined;
    const worker = cluster.fork(workerRoleEnv({ slot: slot.number, hub: options.hub }));
    slot.worker = worker;
    slot.listening = false;
    const pid = worker.process.pid;
    log.info({ worker: slot.number, workerPid: pid }, `worker ${slot.number} starting (pid ${pid})`);
    worker.on('listening', () => {
      if (slot.worker !== worker) return;
      slot.listening = true;
      slot.history.listening();
      log.info({ worker: slot.number, workerPid: pid }, `worker ${slot.number} is listening (pid ${pid})`);
    });
    worker.on('error', (error: Error) => log.warn({ worker: slot.number, workerPid: pid, err: error }, `worker ${slot.number}: ${error.message}`));
    worker.on('exit', (code: number | null, signal: NodeJS.Signals | null) => onExit(slot, worker, code, signal));
  };

  const onExit = (slot: Slot, worker: Worker, code: number | null, signal: NodeJS.Signals | null) => {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    const details = { worker: slot.number, workerPid: worker.process.pid, code, signal };
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping) {
      const clean = code === 0 || signal === 'SIGTERM' || signal === 'SIGINT';
      if (clean) log.info(details, `worker ${slot.number} stopped`);
      else {
        log.error(details, `worker ${slot.number} did not stop cleanly (${how})`);
        stopping.code = 1;
      }
      finishIfDone();
      return;
    }
    const verdict = slot.history.exited(Date.now(), slot.listening);
    if (verdict.action === 'give-up') {
      log.fatal(details, `worker ${slot.number} failed to start ${verdict.startupFailures} times in a row (last: ${how}); stopping the hub`);
      stop(1);
      return;
    }
    log.error({ ...details, restartInMs: verdict.delayMs }, `worker ${slot.number} exited unexpectedly (${how}); restarting it in ${verdict.delayMs} ms`);
    slot.restartTimer = setTimeout(() => fork(slot), verdict.delayMs);
  };

  const stop = (code: number) => {
    if (stopping) return;
    stopping = { code };
    for (const slot of slots) clearTimeout(slot.restartTimer);
    for (const worker of live()) worker.process.kill('SIGTERM');
    const waitMs = (options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) + SHUTDOWN_GRACE_MS;
    killTimer = setTimeout(() => killAll(`workers still running ${waitMs} ms after SIGTERM; killing them`), waitMs);
    finishIfDone();
  };

  const killAll = (reason: string) => {
    if (stopping) stopping.code = 1;
    log.error({ workers: live().map((w) => w.process.pid) }, reason);
    for (const worker of live()) worker.process.kill('SIGKILL');
  };

  function onSignal(signal: NodeJS.Signals) {
    if (stopping) {
      killAll(`${signal} again: killing the workers without waiting`);
      return;
    }
    log.info({ signal }, 'stopping: every worker finishes its in-flight requests');
    stop(0);
  }

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  log.info({ workers: options.workers }, `starting ${options.workers} workers`);
  for (const slot of slots) fork(slot);
  return done;
}

/**
 * Warns when N workers could open more connections than the PostgreSQL server accepts: each worker
 * has a pool of its own, and a refused connection fails requests under load rather than at startup.
 */
export async function checkConnectionBudget(db: Database, workers: number, logger: Logger): Promise<void> {
  const { rows } = await db.query<{ max: string; reserved: string }>(
    "SELECT current_setting('max_connections') AS max, current_setting('superuser_reserved_connections') AS reserved",
  );
  const row = rows[0];
  if (!row) return;
  const available = Number(row.max) - Number(row.reserved);
  const wanted = workers * WORKER_POOL_SIZE;
  if (wanted > available) {
    logger.warn(
      { workers, connectionsPerWorker: WORKER_POOL_SIZE, maxConnections: Number(row.max) },
      `${workers} workers may open up to ${wanted} database connections, more than the server's ${available}: raise max_connections or lower --workers`,
    );
  }
}

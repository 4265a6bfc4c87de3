import type { Logger } from '../../http/ops/logging';
import type { RunningHub, WorkerRole } from '../../server';
import { shutdownAndExit } from './shutdown';

/**
 * One worker of `serve --workers N`: the hub's HTTP server on the port the primary shares, over the
 * database the primary prepared (`start` runs startHub with `worker` set). SIGTERM (forwarded by the
 * primary) or SIGINT (Ctrl-C reaches the whole process group) stops it gracefully; both may arrive,
 * so a second signal changes nothing here: escalating is the primary's job. Its log lines carry
 * `worker: <slot>` besides pino's `pid`.
 */
export async function runWorker(role: WorkerRole, baseLogger: Logger, start: (logger: Logger) => Promise<RunningHub>): Promise<void> {
  const logger = baseLogger.child({ worker: role.slot });
  const state: { hub?: RunningHub; stopping: boolean } = { stopping: false };
  const stop = (signal: NodeJS.Signals) => {
    if (state.stopping) return;
    state.stopping = true;
    if (!state.hub) process.exit(0); // still starting: nothing in flight yet
    shutdownAndExit(state.hub, logger, signal);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  state.hub = await start(logger);
}

import type { Logger } from '../../http/ops/logging';
import type { RunningHub } from '../../server';

/** Stops the hub gracefully (in-flight requests finish) and ends the process: 0 when it stopped cleanly, 1 otherwise. */
export function shutdownAndExit(hub: RunningHub, logger: Logger, signal: NodeJS.Signals): void {
  logger.info({ signal }, 'stopping');
  hub.shutdown().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
}

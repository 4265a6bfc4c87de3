import { Router, type Request, type Response } from 'express';
import { OPS_PATHS } from '../route-table';
import type { Metrics } from './metrics';

export interface OpsDependencies {
  readonly metrics: Metrics;
  /** Resolves when the hub can serve requests; throws when the database is unreachable. */
  readonly readiness: () => Promise<void>;
}

/**
 * Liveness, readiness and metrics for orchestrators and Prometheus. No authentication: probes carry
 * no credentials. /metrics reveals only aggregate counts; restrict it by network in production.
 */
export function createOpsRouter(deps: OpsDependencies): Router {
  const router = Router();

  // Liveness: the process is up and its event loop turns. Deliberately not touching the database,
  // so an orchestrator does not restart a healthy hub while the database is down.
  router.get(OPS_PATHS.health, (_req: Request, res: Response) => {
    res.status(200).json({ status: 'ok' });
  });

  router.get(OPS_PATHS.ready, async (req: Request, res: Response) => {
    try {
      await deps.readiness();
      res.status(200).json({ status: 'ok' });
    } catch (error) {
      deps.metrics.databaseErrors.inc();
      req.log.warn({ err: error }, 'readiness check failed');
      res.status(503).set('Retry-After', '5').json({ status: 'unavailable' });
    }
  });

  router.get(OPS_PATHS.metrics, async (_req: Request, res: Response) => {
    const body = await deps.metrics.registry.metrics();
    res.status(200).set('Content-Type', deps.metrics.registry.contentType).send(body);
  });

  return router;
}

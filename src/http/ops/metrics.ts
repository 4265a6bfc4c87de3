import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryMetrics } from '../../services/delivery/delivery-metrics';

/**
 * The hub's Prometheus metrics, in a registry of its own (not prom-client's global one) so that
 * several apps in one process (tests) never collide and nothing else leaks into /metrics.
 */
export interface Metrics extends DeliveryMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  /** Incremented whenever the database cannot be reached; others increment it too. */
  readonly databaseErrors: Counter;
  /** Unified-submission items by outcome (created, updated, unchanged, rejected). */
  readonly submittedIndicators: Counter<'outcome'>;
  /** Lifecycle changes by kind (revoked, benign through the hub API; purged). */
  readonly indicatorTransitions: Counter<'transition'>;
  /** Indicator records left out of TAXII 1.1 answers because they do not map to STIX 1.x. */
  readonly taxii11UnmappedRecords: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, matched route pattern and status code',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method, matched route pattern and status code',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    databaseErrors: new Counter({
      name: 'database_errors_total',
      help: 'Database operations that failed because the database could not be reached',
      registers: [registry],
    }),
    submittedIndicators: new Counter({
      name: 'hub_submitted_indicators_total',
      help: 'Indicators received in unified submissions, by outcome (created, updated, unchanged, rejected)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    indicatorTransitions: new Counter({
      name: 'hub_indicator_transitions_total',
      help: 'Indicator lifecycle changes made through the hub API, by transition (revoked, benign, purged)',
      labelNames: ['transition'] as const,
      registers: [registry],
    }),
    taxii11UnmappedRecords: new Counter({
      name: 'hub_taxii11_unmapped_records_total',
      help: 'Indicator records left out of TAXII 1.1 poll answers because they do not map to STIX 1.x (patterns outside the eight kinds)',
      registers: [registry],
    }),
    ...deliveryMetrics(registry),
  };
}

/** The delivery engine's metrics (subscriptions pushed to receivers; webhooks and forwarding later). */
function deliveryMetrics(registry: Registry): DeliveryMetrics {
  return {
    deliveries: new Counter({
      name: 'hub_deliveries_total',
      help: 'Delivery attempts, by channel and outcome (delivered, failed, refused by the allow-list, suspended for lost access, nothing-to-send)',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    deliveredRecords: new Counter({
      name: 'hub_delivered_records_total',
      help: 'Records accepted by receivers, by channel',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    skippedRecords: new Counter({
      name: 'hub_delivery_skipped_records_total',
      help: 'Records a channel cannot express (e.g. other than indicators for TAXII 1.1), passed over, by channel',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    deliveryDuration: new Histogram({
      name: 'hub_delivery_duration_seconds',
      help: 'Time from sending a delivery to judging the answer, by channel and outcome',
      labelNames: ['channel', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    pendingSubscriptions: new Gauge({
      name: 'hub_delivery_pending_subscriptions',
      help: 'Active push subscriptions with records after their cursor, as of the delivery engine\'s last scan',
      registers: [registry],
    }),
  };
}

/** The label of requests no route matched: one value, so scanners cannot blow up the label set. */
export const UNMATCHED_ROUTE = 'unmatched';

const MOUNT_PATH = Symbol('metrics.mountPath');
type WithMountPath = Request & { [MOUNT_PATH]?: string };

/**
 * Marks requests entering a router mounted at `prefix`, so the route label is the full pattern
 * (`/admin/api/organizations/:id`): once an error leaves the router, express has already reset
 * req.baseUrl.
 */
export function markMountPath(prefix: string): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    (req as WithMountPath)[MOUNT_PATH] = prefix;
    next();
  };
}

/** Counts and times every request under the route pattern it matched, not its raw URL. */
export function metricsMiddleware(metrics: Metrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const stopTimer = metrics.httpRequestDuration.startTimer();
    res.once('finish', () => {
      const routePath: unknown = req.route?.path;
      const route = typeof routePath === 'string' ? `${(req as WithMountPath)[MOUNT_PATH] ?? ''}${routePath}` : UNMATCHED_ROUTE;
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      stopTimer(labels);
    });
    next();
  };
}

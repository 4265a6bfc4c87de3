import { Counter, Gauge, type Registry } from 'prom-client';
import type { StreamMetrics } from '../../services/streams/stream-metrics';

/** The live stream's metrics in the hub's registry (once per registry: a second call finds them). */
export function registerStreamMetrics(registry: Registry): StreamMetrics {
  const gauge = (name: string, help: string) => (registry.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help, registers: [registry] });
  return {
    openStreams: gauge('hub_streams_open', 'Live streams (GET /api/collections/{collection}/stream) open in this process'),
    streamReaders: gauge('hub_stream_readers', 'Shared change-feed readers behind the open streams (one per collection and audience)'),
    endedStreams:
      (registry.getSingleMetric('hub_streams_ended_total') as Counter<'reason'> | undefined) ??
      new Counter({
        name: 'hub_streams_ended_total',
        help: 'Live streams ended, by reason (client, slow, access-revoked, credentials, shutdown, error)',
        labelNames: ['reason'] as const,
        registers: [registry],
      }),
    refusedStreams:
      (registry.getSingleMetric('hub_streams_refused_total') as Counter | undefined) ??
      new Counter({ name: 'hub_streams_refused_total', help: 'Live streams refused at the per-key or the global cap', registers: [registry] }),
  };
}

/**
 * What the stream broker counts, as the narrow shape it needs (prom-client's Gauge and Counter
 * satisfy it; src/http/ops/stream-metrics.ts registers them).
 */

/** Why a stream ended. */
export type StreamEnd = 'client' | 'slow' | 'access-revoked' | 'credentials' | 'shutdown' | 'error';

export interface StreamMetrics {
  /** Streams open now. */
  readonly openStreams: { set(value: number): void };
  /** Shared change-feed readers (one per collection and audience being streamed). */
  readonly streamReaders: { set(value: number): void };
  /** Streams ended, by reason. */
  readonly endedStreams: { inc(labels: { reason: StreamEnd }): void };
  /** Streams refused at a cap. */
  readonly refusedStreams: { inc(): void };
}

/**
 * What the engine counts, as the narrow shape it needs (prom-client's Counter, Histogram and Gauge
 * satisfy it; src/http/ops/metrics.ts registers them).
 */

export type DeliveryOutcome = 'delivered' | 'failed' | 'refused' | 'suspended' | 'nothing-to-send';

export interface LabelledCounter<L extends string> {
  inc(labels: Partial<Record<L, string>>, value?: number): void;
}

export interface LabelledHistogram<L extends string> {
  observe(labels: Partial<Record<L, string>>, value: number): void;
}

export interface PlainGauge {
  set(value: number): void;
}

export interface DeliveryMetrics {
  /** Delivery attempts by channel and outcome. */
  readonly deliveries: LabelledCounter<'channel' | 'outcome'>;
  /** Records that reached receivers, by channel. */
  readonly deliveredRecords: LabelledCounter<'channel'>;
  /** Records a channel could not express (e.g. non-indicators for TAXII 1.1), passed over. */
  readonly skippedRecords: LabelledCounter<'channel'>;
  /** Seconds from sending a request to judging its answer, by channel and outcome. */
  readonly deliveryDuration: LabelledHistogram<'channel' | 'outcome'>;
  /** ACTIVE push subscriptions with records after their cursor, as of the last scan. */
  readonly pendingSubscriptions: PlainGauge;
}

import { HUB_EXTENSION_ID } from '../../../domain/hub-extension';
import { NOTICE_OPERATIONS, type ChangeEvent } from '../../../storage/change-feed-store';
import type { WebhookFilter } from '../../../storage/webhook-store';

/**
 * What a webhook receives: the events of a batch that pass its filter, as JSON.
 *
 * The filter: `operations` (when not empty) keeps events of those operations; `kinds` (when not
 * empty) keeps indicators of those kinds of the hub extension; `min_confidence` keeps objects whose
 * STIX `confidence` is at least that. An event without the object (deleted, purged, access-lost)
 * cannot be judged by kind or confidence: it passes those two (a consumer must learn of a removal of
 * something it may hold), subject to `operations` only; so do reports (sightings, opinions) and
 * notices (campaign-activity). Events filtered out still move the cursor.
 */

export interface WebhookEventJson {
  /** Stable over redeliveries: `<collection>:<position>:<object id>`. */
  readonly id: string;
  readonly operation: string;
  readonly object_id: string;
  readonly type: string;
  readonly position: number;
  /** The object as the consumer reads it (the stored JSON); absent for deleted, purged and access-lost. */
  readonly object?: unknown;
}

export interface WebhookPayload {
  readonly webhook: string;
  readonly collection: string;
  readonly events: readonly WebhookEventJson[];
}

interface Parsed {
  readonly event: ChangeEvent;
  readonly object: Record<string, unknown> | undefined;
}

function parse(event: ChangeEvent): Parsed {
  if (event.json === undefined) return { event, object: undefined };
  try {
    const value: unknown = JSON.parse(event.json);
    return { event, object: typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined };
  } catch {
    return { event, object: undefined };
  }
}

function hubKind(object: Record<string, unknown>): string | undefined {
  const extensions = object.extensions;
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const hub = (extensions as Record<string, unknown>)[HUB_EXTENSION_ID];
  const kind = typeof hub === 'object' && hub !== null ? (hub as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : undefined;
}

const REPORT_TYPES: ReadonlySet<string> = new Set(['sighting', 'opinion']);

function passes(filter: WebhookFilter, { event, object }: Parsed): boolean {
  if (filter.operations.length > 0 && !filter.operations.includes(event.operation)) return false;
  if (object === undefined) return event.json === undefined; // an object the hub could not read is not sent
  // Reports about indicators (sightings, false-positive opinions) pass `kinds` and `min_confidence`: they
  // say nothing of either, and a provider filtering its own indicators by kind still hears about them.
  if (REPORT_TYPES.has(event.type)) return true;
  // So do notices about an indicator (campaign activity): their document is no indicator to judge.
  if (NOTICE_OPERATIONS.includes(event.operation)) return true;
  if (filter.kinds.length > 0) {
    const kind = event.type === 'indicator' ? hubKind(object) : undefined;
    if (kind === undefined || !filter.kinds.includes(kind)) return false;
  }
  if (filter.minConfidence !== undefined) {
    const confidence = object.confidence;
    if (typeof confidence !== 'number' || confidence < filter.minConfidence) return false;
  }
  return true;
}

/** The events of `events` the filter lets through, in order, as the payload writes them. */
export function webhookEvents(filter: WebhookFilter, collectionId: string, events: readonly ChangeEvent[]): WebhookEventJson[] {
  const kept: WebhookEventJson[] = [];
  for (const parsed of events.map(parse)) {
    if (!passes(filter, parsed)) continue;
    const { event, object } = parsed;
    kept.push({
      id: `${collectionId}:${event.position}:${event.objectId}`,
      operation: event.operation,
      object_id: event.objectId,
      type: event.type,
      position: event.position,
      ...(object !== undefined ? { object } : {}),
    });
  }
  return kept;
}

export function webhookBody(payload: WebhookPayload): string {
  return JSON.stringify(payload);
}

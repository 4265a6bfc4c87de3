import type { ChangeEvent, ChangeOperation } from '../../storage/change-feed-store';

/**
 * What the stream broker hands to one client's connection. The HTTP edge turns these into
 * server-sent events (src/http/hub-api/sse-frames.ts); the broker knows nothing of the wire format.
 */
export type StreamMessage =
  /** One change event; `id` resumes the stream right after it (see stream-resume.ts). */
  | { readonly kind: 'change'; readonly id: string; readonly event: ChangeEvent }
  /** Keeps proxies from closing an idle connection. */
  | { readonly kind: 'heartbeat' }
  /** The last message of a stream whose reader may no longer read the collection. */
  | { readonly kind: 'access-revoked'; readonly collectionId: string };

/** One client's connection as the broker writes to it. */
export interface StreamSink {
  /** Writes one message; returns how many bytes now wait, unsent, for the client. */
  send(message: StreamMessage): number;
  /** Resolves once nothing waits for the client any more, or the connection closed. */
  drained(): Promise<void>;
  /** Ends the response (idempotent). */
  end(): void;
}

/** Which events a stream carries (all when a list is absent). */
export interface StreamFilters {
  /** STIX types of the objects. */
  readonly types?: readonly string[];
  readonly operations?: readonly ChangeOperation[];
}

/** Where a stream starts. */
export type StreamStart =
  /** At the collection's current end: only what changes from now on. */
  | { readonly kind: 'now' }
  /** At position 0: everything the reader may read, then live. */
  | { readonly kind: 'beginning' }
  /** Right after a stream event's id (the SSE Last-Event-ID) or a change-feed cursor. */
  | { readonly kind: 'after'; readonly lastEventId: string };

export function carries(filters: StreamFilters, event: ChangeEvent): boolean {
  if (filters.types !== undefined && !filters.types.includes(event.type)) return false;
  return filters.operations === undefined || filters.operations.includes(event.operation);
}

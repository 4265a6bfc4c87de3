import type { Principal } from '../../domain/principal';
import type { StreamSink, StreamFilters, StreamStart } from './stream-messages';
import type { StreamSettings } from './stream-settings';

/**
 * The live stream broker as its callers see it (the stream route, and the composition root, which
 * also ends a changed principal's streams); the broker itself is ./stream-broker.ts.
 */

export interface StreamRequest {
  readonly reader: Principal;
  readonly collectionId: string;
  readonly start: StreamStart;
  readonly filters: StreamFilters;
}

export interface OpenedStream {
  /** Starts writing to `sink`; call once the response's head is out. */
  attach(sink: StreamSink): void;
  /** The client went away (or the response failed): stop and free its place. */
  cancel(): void;
}

export interface StreamBroker {
  /**
   * Checks the caps, the reader's access and the resume point, throwing the catalogued error
   * (TOO_MANY_REQUESTS, NOT_FOUND, FORBIDDEN, INVALID_CURSOR) before anything is sent.
   */
  open(request: StreamRequest): Promise<OpenedStream>;
  /** Streams open now. */
  openCount(): number;
  /** Streams open, shared readers, and streams receiving from one (the others are catching up on their own). */
  stats(): { readonly open: number; readonly readers: number; readonly joined: number };
  readonly settings: StreamSettings;
  /**
   * A user's credentials or an API key changed (disabled, deleted, revoked, a new password): its
   * streams end without a last event, so that clients reconnect, present their credentials again
   * and resume (a revoked key gets 401 then).
   */
  credentialsChanged(owner: { readonly userId: string } | { readonly apiKeyId: string }): void;
  /** Ends every stream and refuses new ones (server shutdown). */
  close(): Promise<void>;
}

/** "Collection X got events": the change notifier (or anything with its shape). */
export interface ChangeSignals {
  subscribe(listener: (collectionId: string) => void): () => void;
}

import type { CompiledPolicy } from '../../access';
import type { ReadScope } from '../../access/read-scope';
import type { Principal } from '../../domain/principal';
import type { Collection } from '../../domain/tenancy';
import type { FeedRecord } from '../../storage/feed-store';
import type { Subscription, SubscriptionChannel } from '../../storage/subscription-store';
import type { OutboundOutcome, OutboundRequest } from './outbound/guarded-http-client';

/**
 * A channel turns a batch of feed records into one outbound request and judges the answer. The
 * engine owns everything else (claims, cursors, access, retries, the SSRF guard), so a channel is a
 * plug-in: the TAXII 1.1 push today; webhooks, TAXII 2.1 forwarding and streams next.
 */

/** Records of one subscription, readable by its organization now, in label order. */
export interface DeliveryBatch {
  readonly subscription: Subscription;
  readonly collection: Collection;
  /** The subscriber as it reads now, with the policy and scope the records were read under. */
  readonly reader: Principal;
  readonly policy: CompiledPolicy;
  readonly scope: ReadScope;
  readonly records: readonly FeedRecord[];
  /** The subscription's cursor: everything up to it was delivered before. */
  readonly exclusiveBegin: number;
  /** Where the cursor moves once the receiver accepts this batch. */
  readonly inclusiveEnd: number;
}

export type PreparedDelivery =
  /** Send `request`; `records` of the batch are in it, `skipped` could not be expressed by the channel. */
  | { readonly kind: 'send'; readonly request: OutboundRequest; readonly records: number; readonly skipped: number }
  /** Nothing to send (every record was skipped): the cursor moves on without a request. */
  | { readonly kind: 'nothing'; readonly skipped: number };

export type DeliveryVerdict = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** The answer the guarded client got: a response (any status) — refusals and network failures never reach a channel. */
export type ReceivedResponse = Extract<OutboundOutcome, { kind: 'response' }>;

export interface DeliveryChannel {
  readonly name: SubscriptionChannel;
  /** The STIX types the channel delivers (all when absent); others are not read at all. */
  readonly recordTypes?: readonly string[];
  prepare(batch: DeliveryBatch): Promise<PreparedDelivery>;
  judge(response: ReceivedResponse): DeliveryVerdict;
}

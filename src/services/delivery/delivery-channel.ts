import type { CompiledPolicy } from '../../access';
import type { ReadScope } from '../../access/read-scope';
import type { Principal } from '../../domain/principal';
import type { Collection } from '../../domain/tenancy';
import type { ChangeEvent } from '../../storage/change-feed-store';
import type { FeedRecord } from '../../storage/feed-store';
import type { Subscription, SubscriptionChannel } from '../../storage/subscription-store';
import type { OutboundOutcome, OutboundRequest } from './outbound/guarded-http-client';

/**
 * A channel turns a batch of feed records into one outbound request and judges the answer. The
 * engine owns everything else (claims, cursors, access, retries, the SSRF guard), so a channel is a
 * plug-in: the TAXII 1.1 push, webhooks, TAXII 2.1 forwarding.
 */

/**
 * Change-feed events of one subscription, readable by its organization now: either the access
 * events of an audience change (access-lost / access-gained, all at the cursor's position, sent
 * before anything else) or stored events in position order.
 */
export interface DeliveryBatch {
  readonly subscription: Subscription;
  readonly collection: Collection;
  /** The subscriber as it reads now, with the policy and scope the records were read under. */
  readonly reader: Principal;
  readonly policy: CompiledPolicy;
  readonly scope: ReadScope;
  readonly events: readonly ChangeEvent[];
  /** The stored versions among `events` (created, updated, revoked, benign), as feed records: what a poll would return. */
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
  /** The STIX types the channel delivers (all when absent); events about other types are not read at all. */
  readonly recordTypes?: readonly string[];
  prepare(batch: DeliveryBatch): Promise<PreparedDelivery>;
  judge(response: ReceivedResponse): DeliveryVerdict;
}

/** Operations whose event carries a stored version (what a TAXII poll returns). */
const VERSION_OPERATIONS: ReadonlySet<string> = new Set(['created', 'updated', 'revoked', 'benign']);

/** The stored versions among change events, as the feed records a poll of the same range returns. */
export function versionRecords(events: readonly ChangeEvent[]): FeedRecord[] {
  const records: FeedRecord[] = [];
  for (const e of events) {
    if (e.json !== undefined && VERSION_OPERATIONS.has(e.operation)) records.push({ dateAdded: e.position, id: e.objectId, type: e.type, providerOrgId: e.providerOrgId, json: e.json });
  }
  return records;
}

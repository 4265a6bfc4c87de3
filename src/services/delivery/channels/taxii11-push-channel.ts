import { randomUUID } from 'node:crypto';
import {
  CONTENT_BINDING_STIX_12,
  MESSAGE_BINDING_XML_11,
  OFFERED_CONTENT_BINDINGS,
  PROTOCOL_BINDING_HTTP,
  PROTOCOL_BINDING_HTTPS,
  SERVICES_11,
} from '../../../domain/taxii11/taxii-identifiers';
import type { Subscription } from '../../../storage/subscription-store';
import type { DeliveryBatch, DeliveryChannel, DeliveryVerdict, PreparedDelivery, ReceivedResponse } from '../delivery-channel';

/**
 * The TAXII 1.1 push (SB-12, b.6): an Inbox_Message with a Source_Subscription (collection name,
 * subscription id, exclusive begin = the cursor, inclusive end = where the cursor moves), a
 * Record_Count, and one Content_Block per record (the STIX 1.x package, its Timestamp_Label the
 * record's label), POSTed with the TAXII HTTP headers. COUNT_ONLY subscriptions get the count and no
 * blocks. The receiver accepted the push iff it answered HTTP 2xx with a TAXII Status_Message of
 * status_type SUCCESS; anything else is a failure described for last_error (H-09).
 *
 * Rendering and reading XML are passed in (`codec`, `renderBlocks`), so this file decides what is
 * sent and how an answer is judged, not how TAXII or STIX 1.x are written.
 */

export const TAXII11_PUSH_BINDINGS = {
  protocolHttp: PROTOCOL_BINDING_HTTP,
  protocolHttps: PROTOCOL_BINDING_HTTPS,
  messageXml11: MESSAGE_BINDING_XML_11,
  services11: SERVICES_11,
  stix12: CONTENT_BINDING_STIX_12,
} as const;

/** The content bindings a push can carry, most preferred first. */
export const PUSH_CONTENT_BINDINGS: readonly string[] = OFFERED_CONTENT_BINDINGS;

export interface PushBlock {
  readonly bindingId: string;
  readonly contentXml: string;
  readonly timestampLabel: number;
}

export interface InboxPush {
  readonly messageId: string;
  readonly collectionName: string;
  readonly subscriptionId: string;
  readonly exclusiveBegin: number;
  readonly inclusiveEnd: number;
  readonly recordCount: number;
  readonly blocks: readonly PushBlock[];
}

/** What a receiver answered, read from its body. */
export type PushAnswer =
  | { readonly kind: 'status'; readonly statusType: string; readonly message?: string }
  | { readonly kind: 'not-taxii'; readonly description: string };

export interface Taxii11PushCodec {
  renderInbox(push: InboxPush): string;
  readAnswer(body: Buffer): PushAnswer;
}

/** Renders the records of a batch in `bindingId`; a record that cannot be expressed is left out. */
export type PushBlockRenderer = (batch: DeliveryBatch, bindingId: string) => Promise<readonly PushBlock[]>;

export interface Taxii11PushChannelDeps {
  readonly codec: Taxii11PushCodec;
  readonly renderBlocks: PushBlockRenderer;
  readonly messageId?: () => string;
}

/** The binding a subscription's pushes use: the first the hub can write among those it asked for (STIX 1.2 when it named none). */
export function pushBindingOf(subscription: Pick<Subscription, 'contentBindings'>): string {
  const asked = subscription.contentBindings.map((b) => b.bindingId);
  return PUSH_CONTENT_BINDINGS.find((binding) => asked.length === 0 || asked.includes(binding)) ?? TAXII11_PUSH_BINDINGS.stix12;
}

export function createTaxii11PushChannel(deps: Taxii11PushChannelDeps): DeliveryChannel {
  const messageId = deps.messageId ?? randomUUID;
  return {
    name: 'taxii11-push',
    recordTypes: ['indicator'],

    async prepare(batch: DeliveryBatch): Promise<PreparedDelivery> {
      const { subscription } = batch;
      const push = subscription.push;
      if (!push) return { kind: 'nothing', skipped: 0 };
      const countOnly = subscription.responseType === 'COUNT_ONLY';
      const blocks = await deps.renderBlocks(batch, pushBindingOf(subscription));
      // Events TAXII 1.1 cannot express (removals, expiries, access changes) and records that do not map are skipped.
      const skipped = batch.events.length - blocks.length;
      if (blocks.length === 0) return { kind: 'nothing', skipped };
      const body = deps.codec.renderInbox({
        messageId: messageId(),
        collectionName: subscription.collectionName,
        subscriptionId: subscription.id,
        exclusiveBegin: batch.exclusiveBegin,
        inclusiveEnd: batch.inclusiveEnd,
        recordCount: blocks.length,
        blocks: countOnly ? [] : blocks,
      });
      const https = push.address.toLowerCase().startsWith('https:');
      return {
        kind: 'send',
        records: blocks.length,
        skipped,
        request: {
          url: push.address,
          headers: {
            'content-type': 'application/xml',
            accept: 'application/xml',
            'x-taxii-content-type': TAXII11_PUSH_BINDINGS.messageXml11,
            'x-taxii-accept': TAXII11_PUSH_BINDINGS.messageXml11,
            'x-taxii-services': TAXII11_PUSH_BINDINGS.services11,
            'x-taxii-protocol': https ? TAXII11_PUSH_BINDINGS.protocolHttps : TAXII11_PUSH_BINDINGS.protocolHttp,
            'user-agent': 'taxii-hub',
          },
          body,
        },
      };
    },

    judge(response: ReceivedResponse): DeliveryVerdict {
      if (response.status >= 300 && response.status < 400) {
        const location = typeof response.headers.location === 'string' ? ` to ${excerpt(response.headers.location, 120)}` : '';
        return { ok: false, error: `the receiver answered HTTP ${response.status}, a redirect${location}; redirects are not followed` };
      }
      if (response.status < 200 || response.status >= 300) {
        return { ok: false, error: `the receiver answered HTTP ${response.status} (${httpStatusMeaning(response.status)})` };
      }
      const answer = deps.codec.readAnswer(response.body);
      if (answer.kind === 'not-taxii') return { ok: false, error: `the receiver answered HTTP ${response.status} without a TAXII Status_Message: ${answer.description}` };
      if (answer.statusType === 'SUCCESS') return { ok: true };
      const message = answer.message ? `: ${excerpt(answer.message, 160)}` : '';
      return { ok: false, error: `the receiver answered with status ${excerpt(answer.statusType, 80)}${message}` };
    },
  };
}

/** H-09: how a TAXII client reads an HTTP error status. */
export function httpStatusMeaning(status: number): string {
  if (status === 400 || status === 413) return 'BAD_MESSAGE';
  if (status === 401 || status === 403 || status === 407) return 'UNAUTHORIZED';
  if (status === 406 || status === 415) return 'UNSUPPORTED_MESSAGE';
  return 'FAILURE';
}

/** Text from a receiver, made safe to store and show: printable characters only, cut short. */
export function excerpt(text: string, max: number): string {
  const printable = text.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
}

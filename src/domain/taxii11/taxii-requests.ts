import type { XmlElement } from '../xml/xml-element';
import type { ResponseType, StatusType, SubscriptionAction, TaxiiVersion } from './taxii-identifiers';

/**
 * The TAXII requests the hub understands, as typed values (timestamps in integer microseconds).
 * TAXII 1.0 requests are read into the same kinds as their 1.1 counterparts.
 */

/** A content binding id with its subtype ids (none = all subtypes). */
export interface ContentBindingRef {
  readonly bindingId: string;
  readonly subtypes: readonly string[];
}

/** Where to deliver: Push_Parameters / Delivery_Parameters. */
export interface DeliveryTarget {
  readonly protocolBinding: string;
  readonly address: string;
  readonly messageBinding: string;
}

export interface DiscoveryRequest {
  readonly kind: 'discovery';
  readonly messageId: string;
}

/** Collection_Information_Request (1.1) or Feed_Information_Request (1.0). */
export interface CollectionInformationRequest {
  readonly kind: 'collection-information';
  readonly messageId: string;
}

export interface SubscriptionParameters {
  readonly responseType: ResponseType;
  readonly contentBindings: readonly ContentBindingRef[];
  /** Whether the request carried a Query (the hub supports none: P-08, SB-03). */
  readonly query: boolean;
}

export interface SubscriptionManagementRequest {
  readonly kind: 'subscription-management';
  readonly messageId: string;
  readonly collectionName: string;
  readonly action: SubscriptionAction;
  readonly subscriptionId?: string;
  readonly parameters?: SubscriptionParameters;
  readonly push?: DeliveryTarget;
}

export interface PollParameters {
  readonly allowAsynch: boolean;
  readonly responseType: ResponseType;
  readonly contentBindings: readonly ContentBindingRef[];
  readonly query: boolean;
  readonly delivery?: DeliveryTarget;
}

export interface PollRequest {
  readonly kind: 'poll';
  readonly messageId: string;
  readonly collectionName: string;
  readonly exclusiveBegin?: number;
  readonly inclusiveEnd?: number;
  /** Exactly one of subscriptionId / parameters in 1.1 (P-02); a 1.0 poll may carry both. */
  readonly subscriptionId?: string;
  readonly parameters?: PollParameters;
}

export interface PollFulfillmentRequest {
  readonly kind: 'poll-fulfillment';
  readonly messageId: string;
  readonly collectionName: string;
  readonly resultId: string;
  readonly partNumber: number;
}

/** A Content element's payload: an embedded element (kept as parsed) or text the caller parses. */
export type InboxContent = { readonly kind: 'xml'; readonly element: XmlElement } | { readonly kind: 'text'; readonly text: string };

export interface InboxContentBlock {
  readonly binding: ContentBindingRef;
  readonly content: InboxContent;
  /** The sender's label: informational only, the hub assigns its own (I-08). */
  readonly timestampLabel?: number;
  readonly message?: string;
}

export interface SourceSubscription {
  readonly collectionName: string;
  readonly subscriptionId?: string;
  readonly exclusiveBegin?: number;
  readonly inclusiveEnd?: number;
}

export interface RecordCount {
  readonly count: number;
  readonly partial: boolean;
}

export interface InboxRequest {
  readonly kind: 'inbox';
  readonly messageId: string;
  readonly destinations: readonly string[];
  readonly contentBlocks: readonly InboxContentBlock[];
  readonly message?: string;
  readonly sourceSubscription?: SourceSubscription;
  readonly resultId?: string;
  readonly recordCount?: RecordCount;
}

export interface StatusDetail {
  readonly name: string;
  readonly value: string;
}

/** A Status_Message the hub reads (the answer of a subscriber's inbox to a push). */
export interface StatusMessageReceived {
  readonly kind: 'status';
  readonly messageId: string;
  readonly inResponseTo: string;
  /** One of the 17 types, or a third party's URI (treat unknown ones as FAILURE: S-07). */
  readonly statusType: StatusType | string;
  readonly details: readonly StatusDetail[];
  readonly message?: string;
}

export type TaxiiRequest =
  | DiscoveryRequest
  | CollectionInformationRequest
  | SubscriptionManagementRequest
  | PollRequest
  | PollFulfillmentRequest
  | InboxRequest
  | StatusMessageReceived;

export type ParsedRequest =
  | { readonly ok: true; readonly version: TaxiiVersion; readonly message: TaxiiRequest }
  | {
      readonly ok: false;
      readonly status: 'BAD_MESSAGE' | 'UNSUPPORTED_MESSAGE';
      /** Sent to the client in the Status_Message's Message: specific, never a stack. */
      readonly message: string;
      /** The request's message_id when readable, else '0'. */
      readonly inResponseTo: string;
    };

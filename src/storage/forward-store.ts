import type { NewSubscription, Subscription } from './subscription-store';

/**
 * The storage port of TAXII 2.1 forwards (issue 13 §3). A forward is a subscription of channel
 * 'taxii21-forward' (its cursor, status and delivery state live there, driven by the delivery
 * engine) plus its target: the remote API root and collection, the sealed credentials, the filter
 * and the request limits. Every lookup a caller asks for names the owner organization (MT-02).
 */

export const FORWARD_CREDENTIAL_KINDS = ['none', 'basic', 'bearer', 'header'] as const;
export type ForwardCredentialKind = (typeof FORWARD_CREDENTIAL_KINDS)[number];

/** What the hub shows of credentials: the kind, and for Basic the user name, for a header its name. Never the secret. */
export interface CredentialSummary {
  readonly kind: ForwardCredentialKind;
  /** Basic: the user name; header: the header's name. */
  readonly label?: string;
}

export interface ForwardFilter {
  /** Only objects of these STIX types (all when absent). */
  readonly types?: readonly string[];
  /** Only indicators of these hub kinds (the hub extension's `kind`); other types pass. */
  readonly kinds?: readonly string[];
}

export interface ForwardTarget {
  /** The remote API root URL, ending in '/'. */
  readonly apiRootUrl: string;
  readonly remoteCollectionId: string;
  readonly credentials: CredentialSummary;
  /** The credentials' secret parts, sealed (see forwarding/forward-credentials.ts); absent for 'none'. */
  readonly sealedCredentials?: string;
  readonly filter: ForwardFilter;
  /** At most this many objects per request. */
  readonly maxObjects: number;
  /** At most about this many bytes per request (an object larger than it goes alone). */
  readonly maxBytes: number;
  readonly createdBy: string;
}

export interface Forward {
  readonly subscription: Subscription;
  readonly target: ForwardTarget;
}

export interface ForwardStore {
  /** Stores the subscription and its target in one transaction. */
  create(subscription: NewSubscription, target: ForwardTarget): Promise<Forward>;
  /** The forward `id`: only the organization's when `organizationId` is given (undefined for another organization's). */
  get(id: string, organizationId?: string): Promise<Forward | undefined>;
  /** In creation order; every organization's when `organizationId` is absent. */
  list(filter: { readonly organizationId?: string }): Promise<Forward[]>;
  /** The target of a forward, by id alone (the delivery engine's channel). */
  target(id: string): Promise<ForwardTarget | undefined>;
}

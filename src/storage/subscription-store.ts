/**
 * The storage port of subscriptions and their delivery state. Every read or change a subscriber
 * asks for names the owner organization, so another organization's subscription is never found
 * (MT-02). The engine's calls (claim, record an outcome) work by id under a lease.
 */

export const SUBSCRIPTION_CHANNELS = ['taxii11-push', 'taxii11-poll', 'webhook', 'taxii21-forward'] as const;
/** How a subscription is served: pushed by the engine (every channel but taxii11-poll), or polled by the subscriber with its id. */
export type SubscriptionChannel = (typeof SUBSCRIPTION_CHANNELS)[number];

export type ResponseType = 'FULL' | 'COUNT_ONLY';
export type SubscriptionStatus = 'ACTIVE' | 'PAUSED';

export interface ContentBindingChoice {
  readonly bindingId: string;
  readonly subtypes: readonly string[];
}

export interface PushTarget {
  readonly protocolBinding: string;
  readonly address: string;
  readonly messageBinding: string;
}

/** What happened on the way out, for the subscriber's STATUS and the admin API. */
export interface DeliveryState {
  readonly nextAttemptAt: Date;
  readonly consecutiveFailures: number;
  readonly lastAttemptAt: Date | null;
  readonly lastSuccessAt: Date | null;
  readonly lastError: string | null;
  readonly lastErrorAt: Date | null;
  readonly deliveredRecords: number;
}

/** A subscription as it is made: what was asked, by whom, and where its cursor starts. */
export interface NewSubscription {
  readonly id: string;
  readonly collectionId: string;
  /** The TAXII 1.1 collection name the subscriber used. */
  readonly collectionName: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly channel: SubscriptionChannel;
  readonly responseType: ResponseType;
  readonly contentBindings: readonly ContentBindingChoice[];
  /** Present iff the channel pushes. */
  readonly push?: PushTarget;
  /** The last label (date_added, µs) delivered: everything up to it reached the subscriber. */
  readonly cursor: number;
  readonly createdAt: Date;
}

/** A stored subscription: what was made, its status and where its delivery stands. */
export interface Subscription extends NewSubscription {
  readonly status: SubscriptionStatus;
  readonly delivery: DeliveryState;
  /**
   * The audience (AudienceStore key of the ReadScope) everything up to the cursor was delivered
   * under; undefined before the first delivery. When the subscriber's audience changes, the engine
   * first delivers the access-lost / access-gained events between the two.
   */
  readonly audienceKey?: string;
}

/** The outcome of a subscribe: the new subscription, or the identical one that already existed. */
export type InsertOutcome = { readonly kind: 'created'; readonly subscription: Subscription } | { readonly kind: 'existing'; readonly subscription: Subscription };

export interface SubscriptionFilter {
  readonly organizationId?: string;
  readonly collectionId?: string;
}

/** A claimed subscription and its collection's last label at the moment of the claim. */
export interface Claim {
  readonly subscription: Subscription;
  readonly collectionEnd: number;
}

/** A claim on a due subscription: only its holder records the outcome. */
export interface ClaimRequest {
  readonly owner: string;
  readonly now: Date;
  readonly leaseMs: number;
  readonly limit: number;
  /** Only subscriptions of this collection (a wake after a write). */
  readonly collectionId?: string;
  readonly channels: readonly SubscriptionChannel[];
  /**
   * The access-policy revision the engine decides with: subscriptions whose audience was last
   * compared under an older one (or never) are due as well, so access changes reach them.
   */
  readonly policyRevision?: number;
}

export interface SuccessRecord {
  readonly cursor: number;
  readonly deliveredRecords: number;
  readonly at: Date;
  /** False when nothing was sent (the range held nothing to deliver): last attempt/success stay. */
  readonly sent: boolean;
  /** The audience the cursor was delivered under (kept as it was when absent). */
  readonly audienceKey?: string;
  /** The access-policy revision that audience was compared under (never moves back; kept when absent). */
  readonly policyRevision?: number;
}

export interface FailureRecord {
  readonly error: string;
  readonly at: Date;
  readonly nextAttemptAt: Date;
}

export interface SubscriptionStore {
  /** Inserts, unless the same user already has an identical subscription on the collection. */
  insert(subscription: NewSubscription): Promise<InsertOutcome>;
  get(organizationId: string, id: string): Promise<Subscription | undefined>;
  /** In creation order. */
  list(filter: SubscriptionFilter): Promise<Subscription[]>;
  delete(organizationId: string, id: string): Promise<boolean>;
  /** Sets the status; RESUME makes delivery due at `now`. False when no such subscription. */
  setStatus(organizationId: string, id: string, status: SubscriptionStatus, now: Date): Promise<boolean>;

  /**
   * Leases up to `limit` ACTIVE subscriptions of the channels, due at `now`, not leased by anyone
   * (or with an expired lease), whose collection holds labels after their cursor.
   */
  claimDue(request: ClaimRequest): Promise<Claim[]>;
  /** Advances the cursor (never backwards), clears failures and the lease. */
  recordSuccess(id: string, owner: string, success: SuccessRecord): Promise<void>;
  /** Keeps the cursor, records the error and when to try again, clears the lease. */
  recordFailure(id: string, owner: string, failure: FailureRecord): Promise<void>;
  /** PAUSED with the reason as last_error (the subscriber may no longer receive), lease cleared. */
  suspend(id: string, owner: string, reason: string, at: Date): Promise<void>;
  /** Pending push work: ACTIVE push subscriptions whose collection holds labels after the cursor. */
  pendingCount(): Promise<number>;
  /**
   * On a store only one process can open at a time (the embedded engine), a lease whose owner does
   * not start with `processPrefix` was left by a process that is gone (killed, crashed): it is
   * released, so its batch is sent again at once instead of after the lease. Elsewhere (PostgreSQL,
   * shared by live processes) nothing is released: leases expire. Returns how many were released.
   */
  releaseOrphanedLeases(processPrefix: string): Promise<number>;
}

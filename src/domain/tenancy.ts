/**
 * The tenancy model: who exists on the hub and how they are grouped.
 * Pure types; storage and HTTP shapes are derived from these.
 */

export const ROLES = ['provider', 'consumer', 'org-admin', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export const TOPOLOGIES = ['horizontal', 'vertical', 'hybrid'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

/** Where an entity came from: the declarative config (reconciled at start) or the admin API/CLI. */
export type ManagedBy = 'config' | 'admin';

export interface Organization {
  readonly id: string; // slug, e.g. "acme-hq"
  readonly name: string;
  readonly parentId: string | null;
  readonly managedBy: ManagedBy;
  /**
   * Where the hub may push this organization's subscriptions: host names (`feeds.example.org`,
   * `*.example.org`) and CIDRs (`203.0.113.0/24`, `2001:db8::/32`); empty or absent: nowhere.
   * An update that leaves it absent keeps the stored list.
   */
  readonly deliveryAllowList?: readonly string[];
}

export interface User {
  readonly id: string; // uuid
  readonly username: string;
  readonly organizationId: string;
  readonly roles: readonly Role[];
  readonly disabled: boolean;
  readonly managedBy: ManagedBy;
}

export interface ApiKey {
  readonly id: string; // short public id, part of the presented token
  readonly userId: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface ApiRoot {
  readonly id: string; // slug, also the URL segment under which TAXII 2.1 serves it
  readonly title: string;
  readonly description: string | null;
  readonly maxContentLength: number;
  readonly managedBy: ManagedBy;
}

/** Path segments the hub itself serves, which no API root may take as its id (it would shadow them). */
export const RESERVED_API_ROOT_IDS: readonly string[] = ['taxii2', 'admin', 'api', 'healthz', 'readyz', 'metrics'];

/** Why `id` cannot be an API root id, or undefined when it can. */
export function reservedApiRootIdProblem(id: string): string | undefined {
  // Routes match without regard to case, so 'Admin' would shadow /admin/ as well.
  if (!RESERVED_API_ROOT_IDS.includes(id.toLowerCase())) return undefined;
  return `'${id}' is reserved for the hub's own /${id.toLowerCase()} endpoints (reserved: ${RESERVED_API_ROOT_IDS.join(', ')}); choose another API root id`;
}

export type CollectionOwner =
  | { readonly kind: 'organization'; readonly id: string }
  | { readonly kind: 'trust-group'; readonly id: string };

export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type TlpLevel = (typeof TLP_LEVELS)[number];

/**
 * What happens to an object written to a collection without a TLP marking:
 * - 'default': it is stored with the collection's default marking written into its object_marking_refs;
 * - 'refuse': it is refused (per object).
 */
export const UNMARKED_POLICIES = ['default', 'refuse'] as const;
export type UnmarkedPolicy = (typeof UNMARKED_POLICIES)[number];
export const DEFAULT_UNMARKED: UnmarkedPolicy = 'default';

/**
 * Whether consumers learn which member provided an object:
 * - 'attributed': providers are named (created_by_ref, provider identities, writers in the history);
 * - 'hidden': consumers outside the provider's own organization never learn which member provided an
 *   object (the hub's identity stands in for it). Operators, the recipients preview and the audit
 *   trail still see the real provider.
 */
export const ATTRIBUTION_MODES = ['attributed', 'hidden'] as const;
export type Attribution = (typeof ATTRIBUTION_MODES)[number];
export const DEFAULT_ATTRIBUTION: Attribution = 'attributed';

export interface Collection {
  readonly id: string; // uuid (TAXII identifier)
  readonly apiRootId: string;
  readonly alias: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly owner: CollectionOwner;
  readonly defaultMarking: TlpLevel;
  /** What happens to an object posted without a TLP marking ('default' unless configured). */
  readonly unmarked: UnmarkedPolicy;
  /**
   * The collection's own attribution setting ('attributed' unless configured). What applies is the
   * effective attribution of the compiled policy, which also honours the governing trust groups.
   */
  readonly attribution: Attribution;
  readonly managedBy: ManagedBy;
}

/** A peer link of a hybrid group: two named members whose trees may read each other's own objects. */
export interface PeerLink {
  readonly between: readonly [string, string];
  /** When true, what crosses the link may also pass down the receiving tree. */
  readonly passDown: boolean;
}

/**
 * A trust group. `members` always lists every organization in the group.
 * - horizontal: `members` only.
 * - vertical: `tree` maps a parent to its children; exactly one root.
 * - hybrid: `tree` holds one or more trees; `peerLinks` join named members.
 */
export interface TrustGroup {
  readonly id: string;
  readonly name: string;
  readonly topology: Topology;
  readonly members: readonly string[];
  readonly tree: Readonly<Record<string, readonly string[]>>;
  readonly peerLinks: readonly PeerLink[];
  /** 'hidden' hides providers in every collection the group governs ('attributed' unless configured). */
  readonly attribution: Attribution;
  readonly managedBy: ManagedBy;
}

import type { DeclaredKind } from '../../config/config-declarations';
import type { ApiKey, ApiRoot, Collection, ManagedBy, Organization, TrustGroup, User } from '../../domain/tenancy';
import type { AuditEntry } from '../../storage/tenancy-store';
import { formatMicros } from '../../domain/timestamps';
import type { AdminSubscription } from '../../services/admin/subscription-admin';
import type { DeliveryStatus } from '../../services/delivery/subscription-service';
import { apiKeyStatus } from '../../services/admin/api-key-admin';

/**
 * The admin API's JSON: snake_case, the same words as the declarative config, so that what an
 * operator reads back can be pasted into YAML.
 */

/** Where the config declares an entity (`collections/file.yaml:LINE`), or undefined when not known. */
export type WhereDeclared = (kind: DeclaredKind, id: string) => string | undefined;

/**
 * `declared_in`: for a config-managed entity, the file and line that declare it (null when the hub
 * does not know its config files); always null for one managed through the admin API.
 */
const declaredIn = (managedBy: ManagedBy, kind: DeclaredKind, id: string, where: WhereDeclared | undefined): string | null =>
  managedBy === 'config' ? (where?.(kind, id) ?? null) : null;

export const organizationJson = (o: Organization, where?: WhereDeclared) => ({
  id: o.id,
  name: o.name,
  parent: o.parentId,
  managed_by: o.managedBy,
  declared_in: declaredIn(o.managedBy, 'organization', o.id, where),
  // Shown when the organization has one (an empty list: no push delivery).
  ...(o.deliveryAllowList && o.deliveryAllowList.length > 0 ? { delivery_allow_list: o.deliveryAllowList } : {}),
});

export const userJson = (u: User, where?: WhereDeclared) => ({
  id: u.id,
  username: u.username,
  organization: u.organizationId,
  roles: u.roles,
  disabled: u.disabled,
  managed_by: u.managedBy,
  declared_in: declaredIn(u.managedBy, 'user', u.username, where),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const apiKeyJson = (k: ApiKey, now = new Date()) => ({
  id: k.id,
  user_id: k.userId,
  name: k.name,
  status: apiKeyStatus(k, now),
  created_at: iso(k.createdAt),
  expires_at: iso(k.expiresAt),
  revoked_at: iso(k.revokedAt),
});

export const apiRootJson = (r: ApiRoot, where?: WhereDeclared) => ({
  id: r.id,
  title: r.title,
  description: r.description,
  max_content_length: r.maxContentLength,
  managed_by: r.managedBy,
  declared_in: declaredIn(r.managedBy, 'api-root', r.id, where),
});

export const collectionJson = (c: Collection, where?: WhereDeclared) => ({
  id: c.id,
  api_root: c.apiRootId,
  alias: c.alias,
  title: c.title,
  description: c.description,
  owner: c.owner.kind === 'organization' ? { organization: c.owner.id } : { trust_group: c.owner.id },
  default_marking: c.defaultMarking,
  unmarked: c.unmarked,
  attribution: c.attribution,
  managed_by: c.managedBy,
  declared_in: declaredIn(c.managedBy, 'collection', c.id, where),
});

export const trustGroupJson = (g: TrustGroup, where?: WhereDeclared) => ({
  id: g.id,
  name: g.name,
  topology: g.topology,
  members: g.members,
  ...(g.topology === 'horizontal' ? {} : { tree: g.tree }),
  ...(g.topology === 'hybrid' ? { peer_links: g.peerLinks.map((l) => ({ between: l.between, pass_down: l.passDown })) } : {}),
  attribution: g.attribution,
  managed_by: g.managedBy,
  declared_in: declaredIn(g.managedBy, 'trust-group', g.id, where),
});

export const auditJson = (e: AuditEntry) => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  entity_type: e.entityType,
  entity_id: e.entityId,
  before: e.before,
  after: e.after,
});

/** How a delivery's attempts stand (subscriptions, webhooks, forwards): the same fields in the same order. */
export const deliveryAttemptsJson = (d: Pick<DeliveryStatus, 'lastAttemptAt' | 'lastSuccessAt' | 'lastError' | 'lastErrorAt' | 'consecutiveFailures' | 'nextAttemptAt'>) => ({
  last_attempt_at: iso(d.lastAttemptAt),
  last_success_at: iso(d.lastSuccessAt),
  last_error: d.lastError,
  last_error_at: iso(d.lastErrorAt),
  consecutive_failures: d.consecutiveFailures,
  next_attempt_at: iso(d.nextAttemptAt),
});

export const subscriptionJson = ({ subscription: s, delivery: d }: AdminSubscription) => ({
  id: s.id,
  organization: s.organizationId,
  user_id: s.userId,
  collection_id: s.collectionId,
  collection_name: s.collectionName,
  channel: s.channel,
  status: s.status,
  response_type: s.responseType,
  content_bindings: s.contentBindings.map((b) => b.bindingId),
  push: s.push ? { protocol_binding: s.push.protocolBinding, address: s.push.address, message_binding: s.push.messageBinding } : null,
  created_at: s.createdAt.toISOString(),
  delivery: {
    // The last label delivered, as a timestamp (null: nothing was in the collection when it was made).
    cursor: d.cursor > 0 ? formatMicros(d.cursor) : null,
    ...deliveryAttemptsJson(d),
    delivered_records: d.deliveredRecords,
    backlog: d.backlog ?? null,
  },
});

import type { Principal } from '../domain/principal';
import type { Role } from '../domain/tenancy';

/**
 * Who may administer what. Pure decisions; the admin services ask before every read and write.
 * - Operators manage everything.
 * - An org-admin manages the users and API keys of its own organization, and reads that organization.
 * - Every user manages its own API keys (self-service tokens for TAXII clients).
 */
export type AdminDecision = { allowed: true } | { allowed: false; reason: 'not-visible' | 'not-permitted' };

const ALLOWED: AdminDecision = { allowed: true };
const NOT_VISIBLE: AdminDecision = { allowed: false, reason: 'not-visible' };
const NOT_PERMITTED: AdminDecision = { allowed: false, reason: 'not-permitted' };

export function isOperatorPrincipal(who: Principal): boolean {
  return who.roles.has('operator');
}

function isOrgAdminOf(who: Principal, organizationId: string): boolean {
  return who.roles.has('org-admin') && who.organizationId === organizationId;
}

/** Structural entities (organizations, API roots, collections, trust groups): operators only. */
export function mayManageHubStructure(who: Principal): AdminDecision {
  return isOperatorPrincipal(who) ? ALLOWED : NOT_PERMITTED;
}

export function mayReadOrganization(who: Principal, organizationId: string): AdminDecision {
  if (isOperatorPrincipal(who) || isOrgAdminOf(who, organizationId)) return ALLOWED;
  return who.roles.has('org-admin') ? NOT_VISIBLE : NOT_PERMITTED;
}

/** Reading and managing the users of an organization. */
export function mayManageUsersOf(who: Principal, organizationId: string): AdminDecision {
  if (isOperatorPrincipal(who) || isOrgAdminOf(who, organizationId)) return ALLOWED;
  return who.roles.has('org-admin') ? NOT_VISIBLE : NOT_PERMITTED;
}

/** Only an operator may hand out the operator role. */
export function mayGrantRoles(who: Principal, roles: readonly Role[]): AdminDecision {
  if (roles.includes('operator') && !isOperatorPrincipal(who)) return NOT_PERMITTED;
  return ALLOWED;
}

/** API keys: the key's own user, the org-admin of that user's organization, or an operator. */
export function mayManageKeysOf(who: Principal, owner: { userId: string; organizationId: string }): AdminDecision {
  if (who.userId === owner.userId) return ALLOWED;
  return mayManageUsersOf(who, owner.organizationId);
}

export function mayReadAudit(who: Principal): AdminDecision {
  return isOperatorPrincipal(who) ? ALLOWED : NOT_PERMITTED;
}

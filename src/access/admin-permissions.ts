import type { Principal } from '../domain/principal';
import type { Role } from '../domain/tenancy';

/**
 * Who may administer what. Pure decisions; the admin services ask before every read and write.
 * - Operators manage everything.
 * - An org-admin manages the users and API keys of its own organization, and reads that organization.
 * - Every user manages its own API keys (self-service tokens for TAXII clients).
 */
export type AdminDecision = { allowed: true } | { allowed: false; reason: 'not-visible' | 'not-permitted'; needs?: string };

const ALLOWED: AdminDecision = { allowed: true };
const NOT_VISIBLE: AdminDecision = { allowed: false, reason: 'not-visible' };
/** What a 403 says is needed, always something the principal may know (roles of the hub, its own organization). */
const NEEDS_OPERATOR: AdminDecision = { allowed: false, reason: 'not-permitted', needs: 'the operator role' };
const NEEDS_ORG_ADMIN: AdminDecision = { allowed: false, reason: 'not-permitted', needs: "the org-admin role of the organization (or the operator role)" };
const NEEDS_OPERATOR_FOR_OPERATOR: AdminDecision = { allowed: false, reason: 'not-permitted', needs: 'the operator role: only an operator changes an operator or grants that role' };
const NEEDS_OWN_PROVIDER: AdminDecision = { allowed: false, reason: 'not-permitted', needs: "the provider or org-admin role in the providing organization (or the operator role)" };

export function isOperatorPrincipal(who: Principal): boolean {
  return who.roles.has('operator');
}

function isOrgAdminOf(who: Principal, organizationId: string): boolean {
  return who.roles.has('org-admin') && who.organizationId === organizationId;
}

/** Structural entities (organizations, API roots, collections, trust groups): operators only. */
export function mayManageHubStructure(who: Principal): AdminDecision {
  return isOperatorPrincipal(who) ? ALLOWED : NEEDS_OPERATOR;
}

export function mayReadOrganization(who: Principal, organizationId: string): AdminDecision {
  if (isOperatorPrincipal(who) || isOrgAdminOf(who, organizationId)) return ALLOWED;
  return who.roles.has('org-admin') ? NOT_VISIBLE : NEEDS_ORG_ADMIN;
}

/** Reading and managing the users of an organization. */
export function mayManageUsersOf(who: Principal, organizationId: string): AdminDecision {
  if (isOperatorPrincipal(who) || isOrgAdminOf(who, organizationId)) return ALLOWED;
  return who.roles.has('org-admin') ? NOT_VISIBLE : NEEDS_ORG_ADMIN;
}

/**
 * Changing one user (roles, status, password, deletion, API keys): as for its organization, except
 * that only an operator changes an operator. An org-admin who could set an operator's password or
 * issue it a key could act as that operator.
 */
export function mayChangeUser(who: Principal, user: { organizationId: string; roles: readonly Role[] }): AdminDecision {
  const decision = mayManageUsersOf(who, user.organizationId);
  if (!decision.allowed) return decision;
  return user.roles.includes('operator') && !isOperatorPrincipal(who) ? NEEDS_OPERATOR_FOR_OPERATOR : ALLOWED;
}

/** Only an operator may hand out the operator role. */
export function mayGrantRoles(who: Principal, roles: readonly Role[]): AdminDecision {
  if (roles.includes('operator') && !isOperatorPrincipal(who)) return NEEDS_OPERATOR_FOR_OPERATOR;
  return ALLOWED;
}

/** API keys: the key's own user, whoever may change that user (see mayChangeUser), or an operator. */
export function mayManageKeysOf(who: Principal, owner: { userId: string; organizationId: string; roles: readonly Role[] }): AdminDecision {
  if (who.userId === owner.userId) return ALLOWED;
  return mayChangeUser(who, owner);
}

export function mayReadAudit(who: Principal): AdminDecision {
  return isOperatorPrincipal(who) ? ALLOWED : NEEDS_OPERATOR;
}

/**
 * "Who will receive this" previews: operators for any provider; an org-admin or a provider only
 * for its own organization's objects (what they publish is their business, others' is not).
 */
export function mayPreviewRecipients(who: Principal, providerOrgId: string): AdminDecision {
  if (isOperatorPrincipal(who)) return ALLOWED;
  const mayPublishFor = who.roles.has('org-admin') || who.roles.has('provider');
  return mayPublishFor && who.organizationId === providerOrgId ? ALLOWED : NEEDS_OWN_PROVIDER;
}

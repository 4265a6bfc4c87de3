import { hubError } from '../../domain/errors';
import { hasRole, isOperator, type Principal } from '../../domain/principal';
import type { Organization, User } from '../../domain/tenancy';
import type { TenancyRepositories } from '../../storage/tenancy-store';
import { compileAllowList, hostAllowed } from './outbound/delivery-allow-list';

/**
 * Who owns an organization's outbound deliveries (webhooks, TAXII 2.1 forwards) and whose read
 * access they deliver under: the organization's org-admins manage its own, operators any
 * organization's; each delivery reads as one user of the organization, evaluated at every delivery.
 */

export function mayManageDeliveries(who: Principal, organizationId: string): boolean {
  return isOperator(who) || (who.organizationId === organizationId && hasRole(who, 'org-admin'));
}

/** FORBIDDEN unless `who` is an org-admin or an operator; `what` names the deliveries ('webhooks', 'forwards'). */
export function requireDeliveryManager(who: Principal, what: string): void {
  if (!isOperator(who) && !hasRole(who, 'org-admin')) throw hubError('FORBIDDEN', `Managing ${what} needs the org-admin role of the organization, or an operator`);
}

/** The user as a delivery reads: its organization and roles now (the authentication method plays no part in read access). */
export function readerOf(user: User): Principal {
  return { userId: user.id, username: user.username, organizationId: user.organizationId, roles: new Set(user.roles), via: 'basic' };
}

/**
 * The user of `organizationId` a delivery reads as: the one `named` (an id or a username), else the
 * caller when it is a user of that organization. VALIDATION_FAILED at `field` otherwise.
 */
export async function deliveringUser(users: Pick<TenancyRepositories['users'], 'get' | 'getByUsername'>, who: Principal, organizationId: string, named: string | undefined, field: string): Promise<User> {
  const refuse = (description: string, message: string) => hubError('VALIDATION_FAILED', { description: `${field}: ${description}`, problems: [{ path: field, message }] });
  const key = named ?? (who.organizationId === organizationId && who.via !== 'local' ? who.userId : undefined);
  if (key === undefined) throw refuse(`name the user of organization '${organizationId}' whose read access it delivers under`, `is required for another organization's delivery`);
  const user = (await users.get(key)) ?? (await users.getByUsername(key));
  if (!user || user.organizationId !== organizationId) throw refuse(`there is no user '${key}' in organization '${organizationId}'`, `is not a user of organization '${organizationId}'`);
  if (user.disabled) throw refuse(`'${user.username}' is disabled`, 'is disabled');
  return user;
}

/** A warning when the organization's delivery allow-list does not cover `host` (nothing is sent there until an operator adds it). */
export function allowListWarning(organization: Organization, host: string): string | undefined {
  if (hostAllowed(compileAllowList(organization.deliveryAllowList), host)) return undefined;
  return `host '${host}' is not on organization '${organization.id}'s delivery allow-list: nothing is sent until an operator adds it`;
}

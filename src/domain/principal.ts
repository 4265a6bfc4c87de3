import type { Role } from './tenancy';

/** Who is asking: the outcome of authentication, whatever the credential was. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
  readonly organizationId: string;
  readonly roles: ReadonlySet<Role>;
  readonly via: 'basic' | 'api-key' | 'session' | 'local';
  readonly apiKeyId?: string;
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.has(role);
}

export function isOperator(principal: Principal): boolean {
  return principal.roles.has('operator');
}

/** The actor name written into audit records. */
export function actorName(principal: Principal): string {
  return principal.apiKeyId ? `${principal.username} (key ${principal.apiKeyId})` : principal.username;
}

/** The principal used by local CLI administration: an operator acting through the machine's shell. */
export function localOperator(osUser: string): Principal {
  return {
    userId: 'local',
    username: `cli:${osUser}`,
    organizationId: '',
    roles: new Set<Role>(['operator']),
    via: 'local',
  };
}

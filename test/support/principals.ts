import type { Principal } from '../../src/domain/principal';
import type { Role } from '../../src/domain/tenancy';

/** A principal as Basic authentication would make it, for service-level tests. */
export const principal = (username: string, organizationId: string, roles: Role[]): Principal => ({
  userId: `u-${username}`,
  username,
  organizationId,
  roles: new Set(roles),
  via: 'basic',
});

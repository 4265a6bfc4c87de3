import type { AdminDeps } from './admin-context';
import { apiKeyAdmin } from './api-key-admin';
import { auditAdmin } from './audit-admin';
import { organizationAdmin } from './organization-admin';
import { apiRootAdmin, collectionAdmin, trustGroupAdmin } from './structure-admin';
import { userAdmin } from './user-admin';

export type { AdminDeps, CredentialEvents } from './admin-context';

/** Administration of the tenancy model: every operation takes the acting principal first. */
export function createAdminService(deps: AdminDeps) {
  return {
    organizations: organizationAdmin(deps),
    users: userAdmin(deps),
    apiKeys: apiKeyAdmin(deps),
    apiRoots: apiRootAdmin(deps),
    collections: collectionAdmin(deps),
    trustGroups: trustGroupAdmin(deps),
    audit: auditAdmin(deps),
  };
}

export type AdminService = ReturnType<typeof createAdminService>;

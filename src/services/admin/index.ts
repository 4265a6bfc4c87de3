import type { DeclaredKind } from '../../config/config-declarations';
import { createPolicyService } from '../policy-service';
import type { AdminDeps } from './admin-context';
import { apiKeyAdmin } from './api-key-admin';
import { auditAdmin } from './audit-admin';
import { organizationAdmin } from './organization-admin';
import { recipientsAdmin } from './recipients-admin';
import { apiRootAdmin, collectionAdmin, trustGroupAdmin } from './structure-admin';
import { subscriptionAdmin } from './subscription-admin';
import { userAdmin } from './user-admin';

export type { AdminDeps, CredentialEvents } from './admin-context';

/** Administration of the tenancy model: every operation takes the acting principal first. */
export function createAdminService(given: AdminDeps) {
  const policy = given.policy ?? createPolicyService({ store: given.store });
  // The policy this service decides with sees this service's own changes at once.
  const onStructureChanged = () => {
    policy.invalidate();
    given.onStructureChanged?.();
  };
  const deps: AdminDeps = { ...given, policy, onStructureChanged };
  const structural = <T extends StructuralAdmin>(admin: T) => notifyingChanges(admin, onStructureChanged);
  return {
    organizations: structural(organizationAdmin(deps)),
    users: userAdmin(deps),
    apiKeys: apiKeyAdmin(deps),
    apiRoots: structural(apiRootAdmin(deps)),
    collections: structural(collectionAdmin(deps)),
    trustGroups: structural(trustGroupAdmin(deps)),
    audit: auditAdmin(deps),
    recipients: recipientsAdmin({ policy }),
    subscriptions: subscriptionAdmin(given.subscriptions, policy),
    /** Where a config-managed entity is declared (`collections/file.yaml:LINE`), when the hub knows its config files. */
    whereDeclared: (kind: DeclaredKind, id: string): string | undefined => given.configDeclarations?.whereDeclared(kind, id),
  };
}

type Change = (...args: never[]) => Promise<unknown>;
interface StructuralAdmin {
  readonly create: Change;
  readonly update: Change;
  readonly remove: Change;
}

/** The same admin, whose create/update/remove call `changed` once their change has committed. */
function notifyingChanges<T extends StructuralAdmin>(admin: T, changed: () => void): T {
  const after = <F extends Change>(change: F): F =>
    (async (...args: Parameters<F>) => {
      const result = await change(...args);
      changed();
      return result;
    }) as F;
  return { ...admin, create: after(admin.create), update: after(admin.update), remove: after(admin.remove) };
}

export type AdminService = ReturnType<typeof createAdminService>;

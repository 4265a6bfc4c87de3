import { objectVisibleUnderScope, reporterScope, type ReadScope } from '../../../access/read-scope';
import type { CompiledPolicy } from '../../../access/compiled-policy';
import type { ActivityAudience } from '../../../domain/analysis/campaign-activity';
import type { Principal } from '../../../domain/principal';
import type { Role } from '../../../domain/tenancy';

/**
 * Who may read what, per organization, for early warning: the organization's own scope in each
 * collection (reporterScope: what a consumer of the organization reads, whatever its users' roles),
 * worked out once per organization and collection for a batch. Operators are no organization here:
 * they read every event through scope `all`.
 */
export function activityAudience(policy: CompiledPolicy): ActivityAudience {
  const scopes = new Map<string, ReadScope>();
  const principalOf = (organizationId: string): Principal => ({
    userId: `organization:${organizationId}`,
    username: `organization:${organizationId}`,
    organizationId,
    roles: new Set<Role>(['consumer']),
    via: 'local',
  });
  const scopeOf = (organizationId: string, collectionId: string): ReadScope => {
    const key = `${organizationId}\u0000${collectionId}`;
    let scope = scopes.get(key);
    if (scope === undefined) {
      scope = reporterScope(policy, principalOf(organizationId), collectionId);
      scopes.set(key, scope);
    }
    return scope;
  };
  return {
    organizations: [...policy.organizationIds],
    reads: (organizationId, object) =>
      objectVisibleUnderScope(scopeOf(organizationId, object.collectionId), { providerOrgId: object.providerOrgId, marking: object.tlp, recipients: object.recipients, namedReaders: object.namedReaders }),
    knowsProvider: (organizationId, collectionId, providerOrgId) => organizationId === providerOrgId || policy.collections.get(collectionId)?.attribution === 'attributed',
  };
}

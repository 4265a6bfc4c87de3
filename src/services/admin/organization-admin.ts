import { mayManageHubStructure, mayReadOrganization, isOperatorPrincipal } from '../../access/admin-permissions';
import type { Principal } from '../../domain/principal';
import type { Organization } from '../../domain/tenancy';
import { organizationParentProblem } from '../../domain/trust-group-rules';
import type { TenancyRepositories } from '../../storage/tenancy-store';
import { parseAllowListEntry } from '../delivery/outbound/delivery-allow-list';
import { auditedChange, enforce, invalid, notFound, refuseConfigManaged, type AdminDeps } from './admin-context';

export interface OrganizationInput {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  /** Where the hub may push the organization's subscriptions (none when absent). */
  readonly deliveryAllowList?: readonly string[];
}

export type OrganizationPatch = Partial<Omit<OrganizationInput, 'id'>>;

async function checkParent(tx: TenancyRepositories, id: string, parentId: string | null): Promise<void> {
  if (parentId === null) return;
  const all = await tx.organizations.list();
  const parentOf = new Map(all.map((o) => [o.id, o.parentId] as const));
  const problem = organizationParentProblem(id, parentId, parentOf);
  if (problem) invalid([{ path: 'parent', message: problem }]);
}

function checkAllowList(entries: readonly string[] | undefined): void {
  invalid((entries ?? []).flatMap((text, i) => {
    const parsed = parseAllowListEntry(text);
    return parsed.ok ? [] : [{ path: `delivery_allow_list[${i}]`, message: parsed.message }];
  }));
}

export function organizationAdmin({ store, configDeclarations }: AdminDeps) {
  return {
    async list(who: Principal): Promise<Organization[]> {
      const all = await store.organizations.list();
      return isOperatorPrincipal(who) ? all : all.filter((o) => mayReadOrganization(who, o.id).allowed);
    },

    async get(who: Principal, id: string): Promise<Organization> {
      enforce(mayReadOrganization(who, id), `organization '${id}'`);
      return (await store.organizations.get(id)) ?? notFound(`organization '${id}'`);
    },

    async create(who: Principal, input: OrganizationInput): Promise<Organization> {
      enforce(mayManageHubStructure(who), 'organizations');
      checkAllowList(input.deliveryAllowList);
      const { deliveryAllowList, ...rest } = input;
      const organization: Organization = { ...rest, managedBy: 'admin', ...(deliveryAllowList && deliveryAllowList.length > 0 ? { deliveryAllowList } : {}) };
      return auditedChange(store, who, { action: 'organization.create', entityType: 'organization', entityId: input.id }, async (tx) => {
        await checkParent(tx, input.id, input.parentId);
        await tx.organizations.insert(organization);
        return { before: null, after: organization, result: organization };
      });
    },

    async update(who: Principal, id: string, patch: OrganizationPatch): Promise<Organization> {
      enforce(mayManageHubStructure(who), 'organizations');
      return auditedChange(store, who, { action: 'organization.update', entityType: 'organization', entityId: id }, async (tx) => {
        const before = (await tx.organizations.get(id)) ?? notFound(`organization '${id}'`);
        refuseConfigManaged(before, `organization '${id}'`, configDeclarations?.whereDeclared('organization', id));
        // Only the fields the patch names change: an absent field (undefined) keeps its stored value.
        checkAllowList(patch.deliveryAllowList);
        const after: Organization = {
          ...before,
          name: patch.name ?? before.name,
          parentId: patch.parentId === undefined ? before.parentId : patch.parentId,
          ...(patch.deliveryAllowList === undefined ? {} : { deliveryAllowList: patch.deliveryAllowList }),
        };
        if (patch.parentId !== undefined) await checkParent(tx, id, after.parentId);
        await tx.organizations.update(after);
        return { before, after, result: after };
      });
    },

    async remove(who: Principal, id: string): Promise<void> {
      enforce(mayManageHubStructure(who), 'organizations');
      await auditedChange(store, who, { action: 'organization.delete', entityType: 'organization', entityId: id }, async (tx) => {
        const before = (await tx.organizations.get(id)) ?? notFound(`organization '${id}'`);
        refuseConfigManaged(before, `organization '${id}'`, configDeclarations?.whereDeclared('organization', id));
        await tx.organizations.delete(id);
        return { before, after: null, result: undefined };
      });
    },
  };
}

import type { ContractContext } from './contract-context';
import { anOrganization, aTrustGroup, expectHubError, freshSlug } from './tenancy-fixtures';

export function transactionContract(ctx: ContractContext): void {
  describe('transactions', () => {
    test('everything written in a transaction commits together', async () => {
      const store = ctx.store();
      const org = anOrganization();
      const actor = freshSlug('actor');
      const result = await store.transaction(async (tx) => {
        await tx.organizations.insert(org);
        await tx.trustGroups.insert(aTrustGroup([org.id]));
        return tx.audit.append({ actor, action: 'organization.create', entityType: 'organization', entityId: org.id, before: null, after: org });
      });
      expect(await store.organizations.get(org.id)).toEqual(org);
      expect(await store.audit.list({ actor, limit: 10 })).toEqual([result]);
    });

    test('a transaction that throws half way leaves nothing behind', async () => {
      const store = ctx.store();
      const org = anOrganization();
      const actor = freshSlug('actor');
      const failure = store.transaction(async (tx) => {
        await tx.organizations.insert(org);
        await tx.audit.append({ actor, action: 'organization.create', entityType: 'organization', entityId: org.id, before: null, after: org });
        expect(await tx.organizations.get(org.id)).toEqual(org); // visible inside the transaction
        throw new Error('the service changed its mind');
      });
      await expect(failure).rejects.toThrow('the service changed its mind');
      expect(await store.organizations.get(org.id)).toBeUndefined();
      expect(await store.audit.list({ actor, limit: 10 })).toEqual([]);
    });

    test('a conflict inside a transaction rolls back the writes before it', async () => {
      const store = ctx.store();
      const existing = anOrganization();
      await store.organizations.insert(existing);
      const fresh = anOrganization();
      const failure = store.transaction(async (tx) => {
        await tx.organizations.insert(fresh);
        await tx.organizations.insert(existing);
      });
      await expectHubError(failure, 'CONFLICT', `an organization with id '${existing.id}' already exists`);
      expect(await store.organizations.get(fresh.id)).toBeUndefined();
    });

    test('a trust group update inside a transaction is rolled back with it', async () => {
      const store = ctx.store();
      const [a, b] = [anOrganization(), anOrganization()];
      await store.organizations.insert(a);
      await store.organizations.insert(b);
      const group = aTrustGroup([a.id]);
      await store.trustGroups.insert(group);
      const failure = store.transaction(async (tx) => {
        await tx.trustGroups.update({ ...group, members: [b.id, a.id] });
        throw new Error('abort');
      });
      await expect(failure).rejects.toThrow('abort');
      expect(await store.trustGroups.get(group.id)).toEqual(group);
    });
  });
}

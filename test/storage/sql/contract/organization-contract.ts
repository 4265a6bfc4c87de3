import type { ContractContext } from './contract-context';
import { aCollection, anApiRoot, anOrganization, aTrustGroup, aUser, expectHubError, freshSlug } from './tenancy-fixtures';

export function organizationContract(ctx: ContractContext): void {
  describe('organizations', () => {
    test('an inserted organization reads back field for field, and update replaces every field', async () => {
      const store = ctx.store();
      const parent = anOrganization();
      const org = anOrganization({ name: 'Bank A', managedBy: 'config' });
      await store.organizations.insert(parent);
      await store.organizations.insert(org);
      expect(await store.organizations.get(org.id)).toEqual(org);

      const changed = { ...org, name: 'Bank A Security', parentId: parent.id, managedBy: 'admin' as const };
      expect(await store.organizations.update(changed)).toBe(true);
      expect(await store.organizations.get(org.id)).toEqual(changed);

      expect(await store.organizations.delete(org.id)).toBe(true);
      expect(await store.organizations.get(org.id)).toBeUndefined();
    });

    test('get, update and delete of an unknown organization report it as absent', async () => {
      const store = ctx.store();
      const ghost = anOrganization();
      expect(await store.organizations.get(ghost.id)).toBeUndefined();
      expect(await store.organizations.update(ghost)).toBe(false);
      expect(await store.organizations.delete(ghost.id)).toBe(false);
    });

    test('organizations are listed in id order, whatever the insertion order', async () => {
      const store = ctx.store();
      const prefix = freshSlug('order');
      const ids = [`${prefix}-m`, `${prefix}-B`, `${prefix}-a`, `${prefix}-z`];
      for (const id of ids) await store.organizations.insert(anOrganization({ id }));
      const listed = (await store.organizations.list()).map((o) => o.id).filter((id) => id.startsWith(prefix));
      expect(listed).toEqual([`${prefix}-B`, `${prefix}-a`, `${prefix}-m`, `${prefix}-z`]);
    });

    test('a duplicate organization id is a conflict naming the id', async () => {
      const store = ctx.store();
      const org = anOrganization();
      await store.organizations.insert(org);
      await expectHubError(store.organizations.insert({ ...org, name: 'Other' }), 'CONFLICT', `an organization with id '${org.id}' already exists`);
      expect(await store.organizations.get(org.id)).toEqual(org);
    });

    test('an organization under an unknown parent is refused as invalid', async () => {
      const store = ctx.store();
      const org = anOrganization({ parentId: 'no-such-parent' });
      await expectHubError(store.organizations.insert(org), 'VALIDATION_FAILED', "parent organization 'no-such-parent' does not exist");
      expect(await store.organizations.get(org.id)).toBeUndefined();
    });

    test('an organization cannot be its own parent', async () => {
      const store = ctx.store();
      const org = anOrganization();
      await store.organizations.insert(org);
      await expectHubError(store.organizations.update({ ...org, parentId: org.id }), 'VALIDATION_FAILED', 'its own parent');
    });

    describe('deleting an organization that is still referenced is a conflict and deletes nothing', () => {
      test('by users', async () => {
        const store = ctx.store();
        const org = anOrganization();
        await store.organizations.insert(org);
        const user = aUser(org.id);
        await store.users.insert(user);
        await expectHubError(store.organizations.delete(org.id), 'CONFLICT', `organization '${org.id}' is still referenced by users`);
        expect(await store.organizations.get(org.id)).toEqual(org);
        expect(await store.users.get(user.id)).toEqual(user);
      });

      test('by child organizations', async () => {
        const store = ctx.store();
        const parent = anOrganization();
        const child = anOrganization({ parentId: parent.id });
        await store.organizations.insert(parent);
        await store.organizations.insert(child);
        await expectHubError(store.organizations.delete(parent.id), 'CONFLICT', `organization '${parent.id}' is still referenced by child organizations`);
        expect(await store.organizations.get(parent.id)).toEqual(parent);
        expect(await store.organizations.get(child.id)).toEqual(child);
      });

      test('by collections it owns', async () => {
        const store = ctx.store();
        const org = anOrganization();
        const root = anApiRoot();
        await store.organizations.insert(org);
        await store.apiRoots.insert(root);
        const collection = aCollection(root.id, { kind: 'organization', id: org.id });
        await store.collections.insert(collection);
        await expectHubError(store.organizations.delete(org.id), 'CONFLICT', `organization '${org.id}' is still referenced by collections`);
        expect(await store.collections.get(collection.id)).toEqual(collection);
      });

      test('by trust group memberships', async () => {
        const store = ctx.store();
        const org = anOrganization();
        const other = anOrganization();
        await store.organizations.insert(org);
        await store.organizations.insert(other);
        const group = aTrustGroup([other.id, org.id]);
        await store.trustGroups.insert(group);
        await expectHubError(store.organizations.delete(org.id), 'CONFLICT', `organization '${org.id}' is still referenced by trust groups`);
        expect(await store.organizations.get(org.id)).toEqual(org);
        expect(await store.trustGroups.get(group.id)).toEqual(group);
      });
    });

    test('an organization can be deleted once nothing references it any more', async () => {
      const store = ctx.store();
      const org = anOrganization();
      await store.organizations.insert(org);
      const user = aUser(org.id);
      await store.users.insert(user);
      await store.users.delete(user.id);
      expect(await store.organizations.delete(org.id)).toBe(true);
    });
  });
}

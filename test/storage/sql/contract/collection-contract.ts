import type { ContractContext } from './contract-context';
import { aCollection, anApiRoot, aTrustGroup, expectHubError, storedOrganizations } from './tenancy-fixtures';

export function collectionContract(ctx: ContractContext): void {
  describe('collections', () => {
    test('a collection owned by an organization or by a trust group reads back field for field', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const root = anApiRoot();
      await store.apiRoots.insert(root);
      const group = aTrustGroup([org!.id]);
      await store.trustGroups.insert(group);

      const byOrg = aCollection(root.id, { kind: 'organization', id: org!.id }, { description: 'own feed', defaultMarking: 'amber+strict' });
      const byGroup = aCollection(root.id, { kind: 'trust-group', id: group.id }, { alias: null, defaultMarking: 'green' });
      await store.collections.insert(byOrg);
      await store.collections.insert(byGroup);
      expect(await store.collections.get(byOrg.id)).toEqual(byOrg);
      expect(await store.collections.get(byGroup.id)).toEqual(byGroup);
    });

    test('update replaces every field, including moving the collection to another owner kind', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const [rootA, rootB] = [anApiRoot(), anApiRoot()];
      await store.apiRoots.insert(rootA);
      await store.apiRoots.insert(rootB);
      const group = aTrustGroup([org!.id]);
      await store.trustGroups.insert(group);
      const collection = aCollection(rootA.id, { kind: 'organization', id: org!.id });
      await store.collections.insert(collection);

      const changed = {
        ...collection,
        apiRootId: rootB.id,
        alias: null,
        title: 'Moved',
        description: 'now shared',
        owner: { kind: 'trust-group' as const, id: group.id },
        defaultMarking: 'red' as const,
        unmarked: 'refuse' as const,
        attribution: 'hidden' as const,
        managedBy: 'admin' as const,
      };
      expect(await store.collections.update(changed)).toBe(true);
      expect(await store.collections.get(collection.id)).toEqual(changed);
      expect(await store.collections.delete(collection.id)).toBe(true);
      expect(await store.collections.get(collection.id)).toBeUndefined();
      expect(await store.collections.update(changed)).toBe(false);
      expect(await store.collections.get('not-a-uuid')).toBeUndefined();
    });

    test('unmarked and attribution read back as stored, and a row written without them reads as default and attributed', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const root = anApiRoot();
      await store.apiRoots.insert(root);
      const strict = aCollection(root.id, { kind: 'organization', id: org!.id }, { unmarked: 'refuse', attribution: 'hidden' });
      await store.collections.insert(strict);
      expect(await store.collections.get(strict.id)).toEqual(strict);

      // As a row stored before migration 007, or by a writer that does not know the columns.
      const legacy = aCollection(root.id, { kind: 'organization', id: org!.id });
      await ctx.db().query(
        `INSERT INTO collections (id, api_root_id, alias, title, description, owner_org_id, default_marking, managed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [legacy.id, root.id, legacy.alias, legacy.title, legacy.description, org!.id, legacy.defaultMarking, legacy.managedBy],
      );
      expect(await store.collections.get(legacy.id)).toEqual({ ...legacy, unmarked: 'default', attribution: 'attributed' });
    });

    test('an unmarked or attribution value outside the domain is refused by the database, naming it', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const root = anApiRoot();
      await store.apiRoots.insert(root);
      const owner = { kind: 'organization' as const, id: org!.id };
      await expectHubError(store.collections.insert(aCollection(root.id, owner, { unmarked: 'drop' as never })), 'VALIDATION_FAILED', "unmarked 'drop' is not one of default, refuse");
      await expectHubError(store.collections.insert(aCollection(root.id, owner, { attribution: 'anonymous' as never })), 'VALIDATION_FAILED', "attribution 'anonymous' is not one of attributed, hidden");
    });

    test('collections are listed in id order', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const root = anApiRoot();
      await store.apiRoots.insert(root);
      const ids = ['c0000000-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000000'];
      for (const id of ids) await store.collections.insert(aCollection(root.id, { kind: 'organization', id: org!.id }, { id }));
      const listed = (await store.collections.list()).filter((c) => c.apiRootId === root.id).map((c) => c.id);
      expect(listed).toEqual([...ids].sort());
    });

    test('an alias is unique within its API root but may repeat across roots', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const [rootA, rootB] = [anApiRoot(), anApiRoot()];
      await store.apiRoots.insert(rootA);
      await store.apiRoots.insert(rootB);
      const owner = { kind: 'organization' as const, id: org!.id };
      const first = aCollection(rootA.id, owner);
      await store.collections.insert(first);
      await expectHubError(
        store.collections.insert(aCollection(rootA.id, owner, { alias: first.alias })),
        'CONFLICT',
        `alias '${first.alias ?? ''}' is already used in API root '${rootA.id}'`,
      );
      await store.collections.insert(aCollection(rootB.id, owner, { alias: first.alias }));
      await store.collections.insert(aCollection(rootA.id, owner, { alias: null }));
      await store.collections.insert(aCollection(rootA.id, owner, { alias: null }));
    });

    test('a duplicate collection id is a conflict', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const root = anApiRoot();
      await store.apiRoots.insert(root);
      const collection = aCollection(root.id, { kind: 'organization', id: org!.id });
      await store.collections.insert(collection);
      await expectHubError(store.collections.insert({ ...collection, alias: null }), 'CONFLICT', `a collection with id '${collection.id}' already exists`);
    });

    test('a collection in an unknown API root or with an unknown owner is invalid', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const root = anApiRoot();
      await store.apiRoots.insert(root);
      await expectHubError(store.collections.insert(aCollection('no-such-root', { kind: 'organization', id: org!.id })), 'VALIDATION_FAILED', "API root 'no-such-root' does not exist");
      await expectHubError(store.collections.insert(aCollection(root.id, { kind: 'organization', id: 'no-such-org' })), 'VALIDATION_FAILED', "organization 'no-such-org' does not exist");
      await expectHubError(store.collections.insert(aCollection(root.id, { kind: 'trust-group', id: 'no-such-group' })), 'VALIDATION_FAILED', "trust group 'no-such-group' does not exist");
      await expectHubError(store.collections.insert(aCollection(root.id, { kind: 'organization', id: org!.id }, { id: 'feed' })), 'VALIDATION_FAILED', "collection id 'feed' is not a UUID");
    });
  });
}

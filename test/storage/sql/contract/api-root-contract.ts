import type { ContractContext } from './contract-context';
import { aCollection, anApiRoot, expectHubError, freshSlug, storedOrganizations } from './tenancy-fixtures';

export function apiRootContract(ctx: ContractContext): void {
  describe('API roots', () => {
    test('an inserted API root reads back field for field, and update replaces every field', async () => {
      const store = ctx.store();
      const root = anApiRoot();
      await store.apiRoots.insert(root);
      expect(await store.apiRoots.get(root.id)).toEqual(root);

      const changed = { ...root, title: 'Renamed', description: null, maxContentLength: 1024, managedBy: 'admin' as const };
      expect(await store.apiRoots.update(changed)).toBe(true);
      expect(await store.apiRoots.get(root.id)).toEqual(changed);
      expect(await store.apiRoots.delete(root.id)).toBe(true);
      expect(await store.apiRoots.get(root.id)).toBeUndefined();
      expect(await store.apiRoots.update(root)).toBe(false);
      expect(await store.apiRoots.delete(root.id)).toBe(false);
    });

    test('API roots are listed in id order', async () => {
      const store = ctx.store();
      const prefix = freshSlug('order');
      for (const suffix of ['c', 'a', 'b']) await store.apiRoots.insert(anApiRoot({ id: `${prefix}-${suffix}` }));
      const listed = (await store.apiRoots.list()).map((r) => r.id).filter((id) => id.startsWith(prefix));
      expect(listed).toEqual(['a', 'b', 'c'].map((suffix) => `${prefix}-${suffix}`));
    });

    test('a duplicate API root id is a conflict naming the id', async () => {
      const store = ctx.store();
      const root = anApiRoot();
      await store.apiRoots.insert(root);
      await expectHubError(store.apiRoots.insert(root), 'CONFLICT', `an API root with id '${root.id}' already exists`);
    });

    test('a non-positive maximum content length is invalid', async () => {
      const store = ctx.store();
      await expectHubError(store.apiRoots.insert(anApiRoot({ maxContentLength: 0 })), 'VALIDATION_FAILED', 'must be positive');
    });

    test('an API root that still has collections cannot be deleted', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const root = anApiRoot();
      await store.apiRoots.insert(root);
      await store.collections.insert(aCollection(root.id, { kind: 'organization', id: org!.id }));
      await expectHubError(store.apiRoots.delete(root.id), 'CONFLICT', `API root '${root.id}' still has collections`);
      expect(await store.apiRoots.get(root.id)).toEqual(root);
    });
  });
}

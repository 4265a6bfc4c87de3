import type { TrustGroup } from '../../../../src/domain/tenancy';
import type { ContractContext } from './contract-context';
import { aCollection, anApiRoot, aTrustGroup, expectHubError, freshSlug, storedOrganizations } from './tenancy-fixtures';

export function trustGroupContract(ctx: ContractContext): void {
  describe('trust groups', () => {
    test('a hybrid group reads back with its members in declared order, its trees and its peer links', async () => {
      const store = ctx.store();
      const [hq, branch, partner, partnerBranch] = (await storedOrganizations(store, 4)).map((o) => o.id) as [string, string, string, string];
      const group: TrustGroup = aTrustGroup([partnerBranch, hq, partner, branch], {
        topology: 'hybrid',
        tree: { [hq]: [branch], [partner]: [partnerBranch] },
        peerLinks: [{ between: [hq, partner], passDown: true }],
        managedBy: 'admin',
      });
      await store.trustGroups.insert(group);
      expect(await store.trustGroups.get(group.id)).toEqual(group);
    });

    test('update replaces the fields and the whole member list, in the new order', async () => {
      const store = ctx.store();
      const [a, b, c, d] = (await storedOrganizations(store, 4)).map((o) => o.id) as [string, string, string, string];
      const group = aTrustGroup([a, b, c]);
      await store.trustGroups.insert(group);
      const changed: TrustGroup = { ...group, name: 'Renamed', topology: 'vertical', members: [d, c, a], tree: { [d]: [c, a] }, attribution: 'hidden', managedBy: 'admin' };
      expect(await store.trustGroups.update(changed)).toBe(true);
      expect(await store.trustGroups.get(group.id)).toEqual(changed);

      // b left the group, so it can now be deleted.
      expect(await store.organizations.delete(b)).toBe(true);
      expect(await store.trustGroups.update(aTrustGroup([a]))).toBe(false);
    });

    test('attribution reads back as stored, and a row written without it reads as attributed', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const hidden = aTrustGroup([org!.id], { attribution: 'hidden' });
      await store.trustGroups.insert(hidden);
      expect(await store.trustGroups.get(hidden.id)).toEqual(hidden);

      // As a row stored before migration 007.
      const legacy = freshSlug('legacy');
      await ctx.db().query(`INSERT INTO trust_groups (id, name, topology, managed_by) VALUES ($1, 'Legacy', 'horizontal', 'admin')`, [legacy]);
      expect(await store.trustGroups.get(legacy)).toMatchObject({ id: legacy, attribution: 'attributed' });
      await expectHubError(store.trustGroups.insert(aTrustGroup([org!.id], { attribution: 'anonymous' as never })), 'VALIDATION_FAILED', "attribution 'anonymous' is not one of attributed, hidden");
    });

    test('trust groups are listed in id order', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const prefix = freshSlug('order');
      for (const suffix of ['b', 'c', 'a']) await store.trustGroups.insert(aTrustGroup([org!.id], { id: `${prefix}-${suffix}` }));
      const listed = (await store.trustGroups.list()).map((g) => g.id).filter((id) => id.startsWith(prefix));
      expect(listed).toEqual(['a', 'b', 'c'].map((suffix) => `${prefix}-${suffix}`));
    });

    test('a duplicate trust group id is a conflict naming the id', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const group = aTrustGroup([org!.id]);
      await store.trustGroups.insert(group);
      await expectHubError(store.trustGroups.insert({ ...group, members: [] }), 'CONFLICT', `a trust group with id '${group.id}' already exists`);
      expect(await store.trustGroups.get(group.id)).toEqual(group);
    });

    test('a group naming an unknown organization is invalid and nothing of it is stored', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const group = aTrustGroup([org!.id, 'no-such-org']);
      await expectHubError(store.trustGroups.insert(group), 'VALIDATION_FAILED', "unknown organizations: 'no-such-org'");
      expect(await store.trustGroups.get(group.id)).toBeUndefined();
      await expectHubError(store.trustGroups.insert(aTrustGroup([org!.id, org!.id])), 'VALIDATION_FAILED', `lists '${org!.id}' more than once`);
    });

    test('an update naming an unknown organization changes nothing', async () => {
      const store = ctx.store();
      const [a, b] = (await storedOrganizations(store, 2)).map((o) => o.id) as [string, string];
      const group = aTrustGroup([a, b]);
      await store.trustGroups.insert(group);
      await expectHubError(store.trustGroups.update({ ...group, name: 'Changed', members: [a, 'no-such-org'] }), 'VALIDATION_FAILED', "'no-such-org'");
      expect(await store.trustGroups.get(group.id)).toEqual(group);
    });

    test('deleting a group releases its members; a group that owns collections cannot be deleted', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const owning = aTrustGroup([org!.id]);
      const plain = aTrustGroup([org!.id]);
      await store.trustGroups.insert(owning);
      await store.trustGroups.insert(plain);
      const root = anApiRoot();
      await store.apiRoots.insert(root);
      await store.collections.insert(aCollection(root.id, { kind: 'trust-group', id: owning.id }));

      await expectHubError(store.trustGroups.delete(owning.id), 'CONFLICT', `trust group '${owning.id}' still owns collections`);
      expect(await store.trustGroups.get(owning.id)).toEqual(owning);
      expect(await store.trustGroups.delete(plain.id)).toBe(true);
      expect(await store.trustGroups.get(plain.id)).toBeUndefined();
      expect(await store.trustGroups.delete(plain.id)).toBe(false);
    });
  });
}

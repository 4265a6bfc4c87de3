import type { ContractContext } from './contract-context';
import { anApiKey, aUser, expectHubError, freshSlug, storedOrganizations } from './tenancy-fixtures';

export function apiKeyContract(ctx: ContractContext): void {
  describe('API keys', () => {
    test('an inserted key reads back with its exact timestamps, and delete removes it', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const user = aUser(org!.id);
      await store.users.insert(user);
      const key = anApiKey(user.id);
      const neverExpiring = anApiKey(user.id, { expiresAt: null });
      await store.apiKeys.insert(key, 'hash-1');
      await store.apiKeys.insert(neverExpiring, 'hash-2');
      expect(await store.apiKeys.get(key.id)).toEqual(key);
      expect(await store.apiKeys.get(neverExpiring.id)).toEqual(neverExpiring);

      expect(await store.apiKeys.delete(key.id)).toBe(true);
      expect(await store.apiKeys.get(key.id)).toBeUndefined();
      expect(await store.apiKeys.delete(key.id)).toBe(false);
    });

    test('keys are listed by id, per user, per organization and overall', async () => {
      const store = ctx.store();
      const [org, otherOrg] = await storedOrganizations(store, 2);
      const alice = aUser(org!.id);
      const bob = aUser(org!.id);
      const carol = aUser(otherOrg!.id);
      for (const user of [alice, bob, carol]) await store.users.insert(user);
      const prefix = freshSlug('order');
      const keys = [
        anApiKey(alice.id, { id: `${prefix}-d` }),
        anApiKey(bob.id, { id: `${prefix}-a` }),
        anApiKey(alice.id, { id: `${prefix}-c` }),
        anApiKey(carol.id, { id: `${prefix}-b` }),
      ];
      for (const key of keys) await store.apiKeys.insert(key, 'hash');
      const ids = (list: { id: string }[]) => list.map((k) => k.id.slice(prefix.length + 1));

      expect(ids(await store.apiKeys.listByUser(alice.id))).toEqual(['c', 'd']);
      expect(ids(await store.apiKeys.listByOrganization(org!.id))).toEqual(['a', 'c', 'd']);
      expect(ids((await store.apiKeys.listAll()).filter((k) => k.id.startsWith(prefix)))).toEqual(['a', 'b', 'c', 'd']);
      expect(await store.apiKeys.listByUser('not-a-uuid')).toEqual([]);
    });

    test('revoking is idempotent: a revoked key keeps its first revocation time', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const user = aUser(org!.id);
      await store.users.insert(user);
      const key = anApiKey(user.id);
      await store.apiKeys.insert(key, 'hash');
      const first = new Date('2026-03-01T10:00:00.123Z');
      expect(await store.apiKeys.revoke(key.id, first)).toBe(true);
      expect(await store.apiKeys.revoke(key.id, new Date('2026-03-02T10:00:00.000Z'))).toBe(true);
      expect(await store.apiKeys.get(key.id)).toEqual({ ...key, revokedAt: first });
      expect(await store.apiKeys.revoke('no-such-key', first)).toBe(false);
    });

    test('credentials join the key with its secret hash and its user', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const user = aUser(org!.id, { roles: ['provider'] });
      await store.users.insert(user);
      const key = anApiKey(user.id);
      await store.apiKeys.insert(key, '$argon2id$key-hash');
      expect(await store.apiKeys.getCredentials(key.id)).toEqual({ key, secretHash: '$argon2id$key-hash', user });
      expect(await store.apiKeys.getCredentials('no-such-key')).toBeUndefined();
    });

    test('a duplicate key id is a conflict and a key of an unknown user is invalid', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const user = aUser(org!.id);
      await store.users.insert(user);
      const key = anApiKey(user.id);
      await store.apiKeys.insert(key, 'hash');
      await expectHubError(store.apiKeys.insert(anApiKey(user.id, { id: key.id }), 'hash'), 'CONFLICT', `an API key with id '${key.id}' already exists`);

      const stranger = aUser(org!.id);
      await expectHubError(store.apiKeys.insert(anApiKey(stranger.id), 'hash'), 'VALIDATION_FAILED', `user '${stranger.id}' does not exist`);
    });
  });
}

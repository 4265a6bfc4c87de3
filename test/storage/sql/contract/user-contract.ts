import type { ContractContext } from './contract-context';
import { anApiKey, anOrganization, aUser, expectHubError, freshSlug, storedOrganizations } from './tenancy-fixtures';

export function userContract(ctx: ContractContext): void {
  describe('users', () => {
    test('an inserted user reads back by id and by username, and update replaces every field', async () => {
      const store = ctx.store();
      const [org, otherOrg] = await storedOrganizations(store, 2);
      const user = aUser(org!.id, { roles: ['org-admin', 'consumer'], managedBy: 'config' });
      await store.users.insert(user);
      expect(await store.users.get(user.id)).toEqual(user);
      expect(await store.users.getByUsername(user.username)).toEqual(user);

      const changed = { ...user, username: freshSlug('renamed'), organizationId: otherOrg!.id, roles: ['provider' as const], disabled: true, managedBy: 'admin' as const };
      expect(await store.users.update(changed)).toBe(true);
      expect(await store.users.get(user.id)).toEqual(changed);
      expect(await store.users.getByUsername(user.username)).toBeUndefined();

      expect(await store.users.delete(user.id)).toBe(true);
      expect(await store.users.get(user.id)).toBeUndefined();
    });

    test('unknown or malformed user ids are reported as absent, not as errors', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const ghost = aUser(org!.id);
      for (const id of [ghost.id, 'not-a-uuid']) {
        expect(await store.users.get(id)).toBeUndefined();
        expect(await store.users.delete(id)).toBe(false);
        expect(await store.users.getPasswordHash(id)).toBeUndefined();
        expect(await store.users.setPasswordHash(id, 'hash')).toBe(false);
      }
      expect(await store.users.update(ghost)).toBe(false);
      expect(await store.users.getCredentials(ghost.username)).toBeUndefined();
    });

    test('users are listed by username, overall and per organization', async () => {
      const store = ctx.store();
      const [org, otherOrg] = await storedOrganizations(store, 2);
      const prefix = freshSlug('order');
      for (const name of ['mallory', 'Bob', 'alice']) await store.users.insert(aUser(org!.id, { username: `${prefix}-${name}` }));
      await store.users.insert(aUser(otherOrg!.id, { username: `${prefix}-carol` }));

      const all = (await store.users.list()).map((u) => u.username).filter((name) => name.startsWith(prefix));
      expect(all).toEqual(['Bob', 'alice', 'carol', 'mallory'].map((name) => `${prefix}-${name}`));
      const inOrg = (await store.users.listByOrganization(org!.id)).map((u) => u.username);
      expect(inOrg).toEqual(['Bob', 'alice', 'mallory'].map((name) => `${prefix}-${name}`));
    });

    test('a taken username is a conflict naming the username', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const alice = aUser(org!.id);
      await store.users.insert(alice);
      await expectHubError(store.users.insert(aUser(org!.id, { username: alice.username })), 'CONFLICT', `username '${alice.username}' is already taken`);
      const bob = aUser(org!.id);
      await store.users.insert(bob);
      await expectHubError(store.users.update({ ...bob, username: alice.username }), 'CONFLICT', `username '${alice.username}' is already taken`);
    });

    test('a duplicate user id is a conflict naming the id', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const user = aUser(org!.id);
      await store.users.insert(user);
      await expectHubError(store.users.insert(aUser(org!.id, { id: user.id })), 'CONFLICT', `a user with id '${user.id}' already exists`);
    });

    test('a user of an unknown organization is refused as invalid and not stored', async () => {
      const store = ctx.store();
      const user = aUser('no-such-org');
      await expectHubError(store.users.insert(user), 'VALIDATION_FAILED', "organization 'no-such-org' does not exist");
      expect(await store.users.get(user.id)).toBeUndefined();
    });

    test('a user id that is not a UUID is refused as invalid', async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      await expectHubError(store.users.insert(aUser(org!.id, { id: 'alice' })), 'VALIDATION_FAILED', "user id 'alice' is not a UUID");
    });

    test('credentials carry the password hash, which setPasswordHash replaces and update keeps', async () => {
      const store = ctx.store();
      const org = anOrganization();
      await store.organizations.insert(org);
      const user = aUser(org.id);
      await store.users.insert(user);
      expect(await store.users.getCredentials(user.username)).toEqual({ user, passwordHash: null });

      // Backdate the row so the change of updated_at is visible whatever the clock's resolution.
      await ctx.db().query("UPDATE users SET updated_at = '2000-01-01T00:00:00Z' WHERE id = $1", [user.id]);
      expect(await store.users.setPasswordHash(user.id, '$argon2id$stored')).toBe(true);
      const { rows } = await ctx.db().query<{ updated_at: Date }>('SELECT updated_at FROM users WHERE id = $1', [user.id]);
      expect(rows[0]!.updated_at.getTime()).toBeGreaterThan(Date.parse('2000-01-02T00:00:00Z'));

      expect(await store.users.getPasswordHash(user.id)).toBe('$argon2id$stored');
      await store.users.update({ ...user, disabled: true });
      expect(await store.users.getCredentials(user.username)).toEqual({ user: { ...user, disabled: true }, passwordHash: '$argon2id$stored' });

      expect(await store.users.setPasswordHash(user.id, null)).toBe(true);
      expect(await store.users.getPasswordHash(user.id)).toBeNull();
    });

    test("deleting a user deletes the user's API keys", async () => {
      const store = ctx.store();
      const [org] = await storedOrganizations(store, 1);
      const user = aUser(org!.id);
      await store.users.insert(user);
      const key = anApiKey(user.id);
      await store.apiKeys.insert(key, 'secret-hash');
      await store.users.delete(user.id);
      expect(await store.apiKeys.get(key.id)).toBeUndefined();
    });
  });
}

import { isOperatorPrincipal, mayManageKeysOf, mayManageUsersOf } from '../../access/admin-permissions';
import { newApiKeyToken } from '../../auth/api-key-token';
import { hashSecret } from '../../auth/secret-hashing';
import { hubError } from '../../domain/errors';
import { isUuid } from '../../domain/ids';
import type { Principal } from '../../domain/principal';
import type { ApiKey, User } from '../../domain/tenancy';
import { auditedChange, enforce, notFound, type AdminDeps } from './admin-context';

export interface ApiKeyInput {
  readonly name: string;
  readonly expiresAt: Date | null;
}

/** A new key and the one and only time its token is shown. */
export interface IssuedApiKey {
  readonly key: ApiKey;
  readonly token: string;
}

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

export function apiKeyStatus(key: ApiKey, now: Date): ApiKeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export function apiKeyAdmin({ store, credentialEvents, now = () => new Date() }: AdminDeps) {
  async function ownerOf(who: Principal, userId: string): Promise<User> {
    const user = isUuid(userId) ? await store.users.get(userId) : await store.users.getByUsername(userId);
    if (!user) notFound(`user '${userId}'`);
    enforce(mayManageKeysOf(who, { userId: user.id, organizationId: user.organizationId, roles: user.roles }), `the API keys of user '${userId}'`);
    return user;
  }

  async function visibleKey(who: Principal, id: string): Promise<ApiKey> {
    const key = await store.apiKeys.get(id);
    if (!key) notFound(`API key '${id}'`);
    const owner = await store.users.get(key.userId);
    if (!owner) notFound(`API key '${id}'`);
    const decision = mayManageKeysOf(who, { userId: owner.id, organizationId: owner.organizationId, roles: owner.roles });
    // Someone else's key does not exist for a principal that may not manage it.
    if (!decision.allowed) notFound(`API key '${id}'`);
    return key;
  }

  return {
    /** Keys of one user; without a user, every key the principal may manage. */
    async list(who: Principal, filter: { userId?: string } = {}): Promise<ApiKey[]> {
      if (filter.userId !== undefined) {
        const owner = await ownerOf(who, filter.userId);
        return store.apiKeys.listByUser(owner.id);
      }
      if (isOperatorPrincipal(who)) return store.apiKeys.listAll();
      if (mayManageUsersOf(who, who.organizationId).allowed) {
        // An org-admin's list holds the keys it may manage: not those of operators in its organization.
        const owners = new Map((await store.users.listByOrganization(who.organizationId)).map((u) => [u.id, u]));
        const keys = await store.apiKeys.listByOrganization(who.organizationId);
        return keys.filter((k) => {
          const owner = owners.get(k.userId);
          return owner !== undefined && mayManageKeysOf(who, { userId: owner.id, organizationId: owner.organizationId, roles: owner.roles }).allowed;
        });
      }
      return store.apiKeys.listByUser(who.userId);
    },

    get: visibleKey,

    async create(who: Principal, userId: string, input: ApiKeyInput): Promise<IssuedApiKey> {
      const owner = await ownerOf(who, userId);
      const createdAt = now();
      if (input.expiresAt && input.expiresAt.getTime() <= createdAt.getTime()) {
        throw hubError('VALIDATION_FAILED', { description: 'expires_at: must be in the future', problems: [{ path: 'expires_at', message: 'must be in the future' }] });
      }
      const token = newApiKeyToken();
      const secretHash = await hashSecret(token.secret);
      const key: ApiKey = { id: token.id, userId: owner.id, name: input.name, createdAt, expiresAt: input.expiresAt, revokedAt: null };
      await auditedChange(store, who, { action: 'api-key.create', entityType: 'api-key', entityId: key.id }, async (tx) => {
        await tx.apiKeys.insert(key, secretHash);
        return { before: null, after: key, result: undefined };
      });
      return { key, token: token.token };
    },

    async revoke(who: Principal, id: string): Promise<ApiKey> {
      await visibleKey(who, id);
      const revoked = await auditedChange(store, who, { action: 'api-key.revoke', entityType: 'api-key', entityId: id }, async (tx) => {
        const before = (await tx.apiKeys.get(id)) ?? notFound(`API key '${id}'`);
        await tx.apiKeys.revoke(id, now());
        const after = (await tx.apiKeys.get(id)) ?? notFound(`API key '${id}'`);
        return { before, after, result: after };
      });
      credentialEvents?.apiKeyChanged(id);
      return revoked;
    },

    async remove(who: Principal, id: string): Promise<void> {
      await visibleKey(who, id);
      await auditedChange(store, who, { action: 'api-key.delete', entityType: 'api-key', entityId: id }, async (tx) => {
        const before = (await tx.apiKeys.get(id)) ?? notFound(`API key '${id}'`);
        await tx.apiKeys.delete(id);
        return { before, after: null, result: undefined };
      });
      credentialEvents?.apiKeyChanged(id);
    },
  };
}

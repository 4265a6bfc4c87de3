import { randomUUID } from 'node:crypto';
import { isOperatorPrincipal, mayChangeUser, mayGrantRoles, mayManageUsersOf } from '../../access/admin-permissions';
import { isUuid } from '../../domain/ids';
import type { Principal } from '../../domain/principal';
import type { Role, User } from '../../domain/tenancy';
import { hashSecret } from '../../auth/secret-hashing';
import { auditedChange, enforce, enforceCreate, invalid, notFound, refuseConfigManaged, type AdminDeps } from './admin-context';

export interface UserInput {
  readonly username: string;
  readonly organizationId: string;
  readonly roles: readonly Role[];
  readonly password?: string;
  readonly disabled?: boolean;
}

export interface UserPatch {
  readonly roles?: readonly Role[];
  readonly password?: string;
  readonly disabled?: boolean;
}

/** What the audit trail records of a user: never the password or its hash. */
function auditView(user: User, passwordChanged = false) {
  return passwordChanged ? { ...user, password: 'changed' } : user;
}

export function userAdmin({ store, credentialEvents, configDeclarations }: AdminDeps) {
  /** Finds a user by id or, for convenience, by username. */
  async function visibleUser(who: Principal, idOrUsername: string): Promise<User> {
    const user = isUuid(idOrUsername) ? await store.users.get(idOrUsername) : await store.users.getByUsername(idOrUsername);
    const id = idOrUsername;
    if (!user) notFound(`user '${id}'`);
    enforce(mayManageUsersOf(who, user.organizationId), `user '${id}'`);
    return user;
  }

  async function changeableUser(who: Principal, idOrUsername: string): Promise<User> {
    const user = await visibleUser(who, idOrUsername);
    enforce(mayChangeUser(who, user), `user '${idOrUsername}'`);
    return user;
  }

  /** The principal's own user, when that is the one named. */
  async function ownAccount(who: Principal, idOrUsername: string): Promise<User | undefined> {
    const named = isUuid(idOrUsername) ? idOrUsername === who.userId : idOrUsername === who.username;
    return named ? store.users.get(who.userId) : undefined;
  }

  return {
    async list(who: Principal, filter: { organizationId?: string } = {}): Promise<User[]> {
      if (filter.organizationId !== undefined) {
        enforce(mayManageUsersOf(who, filter.organizationId), `organization '${filter.organizationId}'`);
        return store.users.listByOrganization(filter.organizationId);
      }
      if (isOperatorPrincipal(who)) return store.users.list();
      enforce(mayManageUsersOf(who, who.organizationId), 'users');
      return store.users.listByOrganization(who.organizationId);
    },

    get: visibleUser,

    async create(who: Principal, input: UserInput): Promise<User> {
      enforceCreate(mayManageUsersOf(who, input.organizationId), `the users of organization '${input.organizationId}'`);
      enforce(mayGrantRoles(who, input.roles), 'the operator role');
      const passwordHash = input.password === undefined ? null : await hashSecret(input.password);
      const user: User = {
        id: randomUUID(),
        username: input.username,
        organizationId: input.organizationId,
        roles: [...input.roles],
        disabled: input.disabled ?? false,
        managedBy: 'admin',
      };
      return auditedChange(store, who, { action: 'user.create', entityType: 'user', entityId: user.id }, async (tx) => {
        if (!(await tx.organizations.get(input.organizationId))) invalid([{ path: 'organization', message: `unknown organization '${input.organizationId}'` }]);
        await tx.users.insert(user);
        if (passwordHash !== null) await tx.users.setPasswordHash(user.id, passwordHash);
        return { before: null, after: auditView(user, passwordHash !== null), result: user };
      });
    },

    async update(who: Principal, idOrUsername: string, patch: UserPatch): Promise<User> {
      const onlyPassword = patch.roles === undefined && patch.disabled === undefined;
      // Every user may change its own password; anything else needs someone who manages the user.
      const self = onlyPassword && patch.password !== undefined ? await ownAccount(who, idOrUsername) : undefined;
      const { id } = self ?? (await changeableUser(who, idOrUsername));
      if (patch.roles) enforce(mayGrantRoles(who, patch.roles), 'the operator role');
      const passwordHash = patch.password === undefined ? undefined : await hashSecret(patch.password);
      const updated = await auditedChange(store, who, { action: 'user.update', entityType: 'user', entityId: id }, async (tx) => {
        const before = (await tx.users.get(id)) ?? notFound(`user '${id}'`);
        // A declared user's roles and status belong to the config; its password may be set here
        // (a password the config itself declares is applied again at the next start).
        if (!onlyPassword) refuseConfigManaged(before, `user '${before.username}'`, configDeclarations?.whereDeclared('user', before.username));
        const after: User = { ...before, roles: patch.roles ? [...patch.roles] : before.roles, disabled: patch.disabled ?? before.disabled };
        await tx.users.update(after);
        if (passwordHash !== undefined) await tx.users.setPasswordHash(id, passwordHash);
        return { before: auditView(before), after: auditView(after, passwordHash !== undefined), result: after };
      });
      credentialEvents?.userCredentialsChanged(id);
      return updated;
    },

    async remove(who: Principal, idOrUsername: string): Promise<void> {
      const { id } = await changeableUser(who, idOrUsername);
      await auditedChange(store, who, { action: 'user.delete', entityType: 'user', entityId: id }, async (tx) => {
        const before = (await tx.users.get(id)) ?? notFound(`user '${id}'`);
        refuseConfigManaged(before, `user '${before.username}'`, configDeclarations?.whereDeclared('user', before.username));
        await tx.users.delete(id);
        return { before: auditView(before), after: null, result: undefined };
      });
      credentialEvents?.userCredentialsChanged(id);
    },
  };
}

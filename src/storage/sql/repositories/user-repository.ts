import { hubError } from '../../../domain/errors';
import type { ManagedBy, Role, User } from '../../../domain/tenancy';
import type { UserCredentials, UserRepository } from '../../tenancy-store';
import { withConstraintMessages, type ConstraintMessages } from '../pg-errors';
import { isUuid, type SqlSession } from './sql-session';

export interface UserRow {
  id: string;
  username: string;
  organization_id: string;
  roles: Role[];
  disabled: boolean;
  managed_by: ManagedBy;
}

/** The user columns, optionally qualified by a table alias for joins. */
export function userColumns(alias?: string): string {
  const p = alias ? `${alias}.` : '';
  return `${p}id, ${p}username, ${p}organization_id, ${p}roles, ${p}disabled, ${p}managed_by`;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    organizationId: row.organization_id,
    roles: row.roles,
    disabled: row.disabled,
    managedBy: row.managed_by,
  };
}

function writeMessages(user: User): ConstraintMessages {
  return {
    users_pkey: `a user with id '${user.id}' already exists`,
    users_username_key: `username '${user.username}' is already taken`,
    users_organization_id_fkey: `organization '${user.organizationId}' does not exist`,
    users_managed_by_check: `managedBy '${user.managedBy}' is not one of config, admin`,
  };
}

function requireUuid(user: User): void {
  if (!isUuid(user.id)) throw hubError('VALIDATION_FAILED', `user id '${user.id}' is not a UUID`);
}

export class SqlUserRepository implements UserRepository {
  constructor(private readonly session: SqlSession) {}

  async list(): Promise<User[]> {
    const { rows } = await this.session.q.query<UserRow>(`SELECT ${userColumns()} FROM users ORDER BY username COLLATE "C"`);
    return rows.map(toUser);
  }

  async listByOrganization(organizationId: string): Promise<User[]> {
    const { rows } = await this.session.q.query<UserRow>(`SELECT ${userColumns()} FROM users WHERE organization_id = $1 ORDER BY username COLLATE "C"`, [
      organizationId,
    ]);
    return rows.map(toUser);
  }

  async get(id: string): Promise<User | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.session.q.query<UserRow>(`SELECT ${userColumns()} FROM users WHERE id = $1`, [id]);
    return rows[0] && toUser(rows[0]);
  }

  async getByUsername(username: string): Promise<User | undefined> {
    const { rows } = await this.session.q.query<UserRow>(`SELECT ${userColumns()} FROM users WHERE username = $1`, [username]);
    return rows[0] && toUser(rows[0]);
  }

  async getCredentials(username: string): Promise<UserCredentials | undefined> {
    const { rows } = await this.session.q.query<UserRow & { password_hash: string | null }>(
      `SELECT ${userColumns()}, password_hash FROM users WHERE username = $1`,
      [username],
    );
    const row = rows[0];
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  async insert(user: User): Promise<void> {
    requireUuid(user);
    await withConstraintMessages('write', writeMessages(user), () =>
      this.session.q.query('INSERT INTO users (id, username, organization_id, roles, disabled, managed_by) VALUES ($1, $2, $3, $4, $5, $6)', [
        user.id,
        user.username,
        user.organizationId,
        user.roles,
        user.disabled,
        user.managedBy,
      ]),
    );
  }

  /** Replaces the user's fields; the password hash is kept (see setPasswordHash). */
  async update(user: User): Promise<boolean> {
    if (!isUuid(user.id)) return false;
    const { rowCount } = await withConstraintMessages('write', writeMessages(user), () =>
      this.session.q.query(
        `UPDATE users SET username = $2, organization_id = $3, roles = $4, disabled = $5, managed_by = $6, updated_at = now()
         WHERE id = $1`,
        [user.id, user.username, user.organizationId, user.roles, user.disabled, user.managedBy],
      ),
    );
    return rowCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rowCount } = await this.session.q.query('DELETE FROM users WHERE id = $1', [id]);
    return rowCount === 1;
  }

  async setPasswordHash(userId: string, passwordHash: string | null): Promise<boolean> {
    if (!isUuid(userId)) return false;
    const { rowCount } = await this.session.q.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [userId, passwordHash]);
    return rowCount === 1;
  }

  async getPasswordHash(userId: string): Promise<string | null | undefined> {
    if (!isUuid(userId)) return undefined;
    const { rows } = await this.session.q.query<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = $1', [userId]);
    return rows[0]?.password_hash;
  }
}

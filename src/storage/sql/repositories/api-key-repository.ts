import { hubError } from '../../../domain/errors';
import type { ApiKey } from '../../../domain/tenancy';
import type { ApiKeyCredentials, ApiKeyRepository } from '../../tenancy-store';
import { withConstraintMessages } from '../pg-errors';
import { isUuid, type SqlSession } from './sql-session';
import { toUser, userColumns, type UserRow } from './user-repository';

interface ApiKeyRow {
  id: string;
  user_id: string;
  name: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'k.id, k.user_id, k.name, k.created_at, k.expires_at, k.revoked_at';

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** A key joined with its user: the user's columns keep their names, the key's that collide are renamed. */
type CredentialsRow = UserRow & Omit<ApiKeyRow, 'id' | 'name' | 'user_id'> & { key_id: string; key_name: string; secret_hash: string };

export class SqlApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly session: SqlSession) {}

  async listByUser(userId: string): Promise<ApiKey[]> {
    if (!isUuid(userId)) return [];
    return this.select('WHERE k.user_id = $1', [userId]);
  }

  async listByOrganization(organizationId: string): Promise<ApiKey[]> {
    return this.select('JOIN users u ON u.id = k.user_id WHERE u.organization_id = $1', [organizationId]);
  }

  async listAll(): Promise<ApiKey[]> {
    return this.select('', []);
  }

  async get(id: string): Promise<ApiKey | undefined> {
    const [key] = await this.select('WHERE k.id = $1', [id]);
    return key;
  }

  async insert(key: ApiKey, secretHash: string): Promise<void> {
    if (!isUuid(key.userId)) throw hubError('VALIDATION_FAILED', `user '${key.userId}' does not exist`);
    await withConstraintMessages(
      'write',
      {
        api_keys_pkey: `an API key with id '${key.id}' already exists`,
        api_keys_user_id_fkey: `user '${key.userId}' does not exist`,
      },
      () =>
        this.session.q.query(
          'INSERT INTO api_keys (id, user_id, name, secret_hash, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [key.id, key.userId, key.name, secretHash, key.createdAt, key.expiresAt, key.revokedAt],
        ),
    );
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    // COALESCE keeps the first revocation time, so revoking twice changes nothing.
    const { rowCount } = await this.session.q.query('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1', [id, at]);
    return rowCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.session.q.query('DELETE FROM api_keys WHERE id = $1', [id]);
    return rowCount === 1;
  }

  async getCredentials(id: string): Promise<ApiKeyCredentials | undefined> {
    const { rows } = await this.session.q.query<CredentialsRow>(
      `SELECT k.id AS key_id, k.name AS key_name, k.created_at, k.expires_at, k.revoked_at, k.secret_hash, ${userColumns('u')}
       FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    const key: ApiKey = {
      id: row.key_id,
      userId: row.id,
      name: row.key_name,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    };
    return { key, secretHash: row.secret_hash, user: toUser(row) };
  }

  private async select(where: string, params: readonly unknown[]): Promise<ApiKey[]> {
    const { rows } = await this.session.q.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys k ${where} ORDER BY k.id COLLATE "C"`, params);
    return rows.map(toApiKey);
  }
}

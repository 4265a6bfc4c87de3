import type { ApiRoot, ManagedBy } from '../../../domain/tenancy';
import type { CrudRepository } from '../../tenancy-store';
import { withConstraintMessages, type ConstraintMessages } from '../pg-errors';
import type { SqlSession } from './sql-session';

interface ApiRootRow {
  id: string;
  title: string;
  description: string | null;
  max_content_length: number;
  managed_by: ManagedBy;
}

const COLUMNS = 'id, title, description, max_content_length, managed_by';

function toApiRoot(row: ApiRootRow): ApiRoot {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    maxContentLength: row.max_content_length,
    managedBy: row.managed_by,
  };
}

function writeMessages(root: ApiRoot): ConstraintMessages {
  return {
    api_roots_pkey: `an API root with id '${root.id}' already exists`,
    api_roots_max_content_length_check: `maxContentLength of API root '${root.id}' must be positive`,
    api_roots_managed_by_check: `managedBy '${root.managedBy}' is not one of config, admin`,
  };
}

export class SqlApiRootRepository implements CrudRepository<ApiRoot> {
  constructor(private readonly session: SqlSession) {}

  async list(): Promise<ApiRoot[]> {
    const { rows } = await this.session.q.query<ApiRootRow>(`SELECT ${COLUMNS} FROM api_roots ORDER BY id COLLATE "C"`);
    return rows.map(toApiRoot);
  }

  async get(id: string): Promise<ApiRoot | undefined> {
    const { rows } = await this.session.q.query<ApiRootRow>(`SELECT ${COLUMNS} FROM api_roots WHERE id = $1`, [id]);
    return rows[0] && toApiRoot(rows[0]);
  }

  async insert(root: ApiRoot): Promise<void> {
    await withConstraintMessages('write', writeMessages(root), () =>
      this.session.q.query('INSERT INTO api_roots (id, title, description, max_content_length, managed_by) VALUES ($1, $2, $3, $4, $5)', [
        root.id,
        root.title,
        root.description,
        root.maxContentLength,
        root.managedBy,
      ]),
    );
  }

  async update(root: ApiRoot): Promise<boolean> {
    const { rowCount } = await withConstraintMessages('write', writeMessages(root), () =>
      this.session.q.query(
        'UPDATE api_roots SET title = $2, description = $3, max_content_length = $4, managed_by = $5, updated_at = now() WHERE id = $1',
        [root.id, root.title, root.description, root.maxContentLength, root.managedBy],
      ),
    );
    return rowCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await withConstraintMessages(
      'delete',
      { collections_api_root_id_fkey: `API root '${id}' still has collections` },
      () => this.session.q.query('DELETE FROM api_roots WHERE id = $1', [id]),
    );
    return rowCount === 1;
  }
}

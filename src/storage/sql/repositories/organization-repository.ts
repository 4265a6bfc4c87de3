import type { ManagedBy, Organization } from '../../../domain/tenancy';
import type { CrudRepository } from '../../tenancy-store';
import { withConstraintMessages, type ConstraintMessages } from '../pg-errors';
import type { SqlSession } from './sql-session';

interface OrganizationRow {
  id: string;
  name: string;
  parent_id: string | null;
  managed_by: ManagedBy;
  delivery_allow_list: string[];
}

const COLUMNS = 'id, name, parent_id, managed_by, delivery_allow_list';

function toOrganization(row: OrganizationRow): Organization {
  // An empty allow-list is left out, as organizations are written where delivery plays no part.
  const allowList = row.delivery_allow_list.length > 0 ? { deliveryAllowList: row.delivery_allow_list } : {};
  return { id: row.id, name: row.name, parentId: row.parent_id, managedBy: row.managed_by, ...allowList };
}

function writeMessages(org: Organization): ConstraintMessages {
  return {
    organizations_pkey: `an organization with id '${org.id}' already exists`,
    organizations_parent_id_fkey: `parent organization '${org.parentId ?? ''}' does not exist`,
    organizations_check: `organization '${org.id}' cannot be its own parent`,
    organizations_managed_by_check: `managedBy '${org.managedBy}' is not one of config, admin`,
  };
}

/** Each table that references an organization, named for the error a delete would raise. */
function deleteMessages(id: string): ConstraintMessages {
  const referencedBy = (what: string) => `organization '${id}' is still referenced by ${what}`;
  return {
    organizations_parent_id_fkey: referencedBy('child organizations'),
    users_organization_id_fkey: referencedBy('users'),
    collections_owner_org_id_fkey: referencedBy('collections'),
    trust_group_members_organization_id_fkey: referencedBy('trust groups'),
  };
}

export class SqlOrganizationRepository implements CrudRepository<Organization> {
  constructor(private readonly session: SqlSession) {}

  async list(): Promise<Organization[]> {
    const { rows } = await this.session.q.query<OrganizationRow>(`SELECT ${COLUMNS} FROM organizations ORDER BY id COLLATE "C"`);
    return rows.map(toOrganization);
  }

  async get(id: string): Promise<Organization | undefined> {
    const { rows } = await this.session.q.query<OrganizationRow>(`SELECT ${COLUMNS} FROM organizations WHERE id = $1`, [id]);
    return rows[0] && toOrganization(rows[0]);
  }

  async insert(org: Organization): Promise<void> {
    await withConstraintMessages('write', writeMessages(org), () =>
      this.session.q.query('INSERT INTO organizations (id, name, parent_id, managed_by, delivery_allow_list) VALUES ($1, $2, $3, $4, $5)', [
        org.id,
        org.name,
        org.parentId,
        org.managedBy,
        [...(org.deliveryAllowList ?? [])],
      ]),
    );
  }

  async update(org: Organization): Promise<boolean> {
    const { rowCount } = await withConstraintMessages('write', writeMessages(org), () =>
      this.session.q.query(
        'UPDATE organizations SET name = $2, parent_id = $3, managed_by = $4, delivery_allow_list = COALESCE($5, delivery_allow_list), updated_at = now() WHERE id = $1',
        [org.id, org.name, org.parentId, org.managedBy, org.deliveryAllowList === undefined ? null : [...org.deliveryAllowList]],
      ),
    );
    return rowCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await withConstraintMessages('delete', deleteMessages(id), () =>
      this.session.q.query('DELETE FROM organizations WHERE id = $1', [id]),
    );
    return rowCount === 1;
  }
}

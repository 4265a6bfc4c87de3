import { hubError } from '../../../domain/errors';
import type { Attribution, Collection, CollectionOwner, ManagedBy, TlpLevel, UnmarkedPolicy } from '../../../domain/tenancy';
import type { CrudRepository } from '../../tenancy-store';
import { withConstraintMessages, type ConstraintMessages } from '../pg-errors';
import { isUuid, type SqlSession } from './sql-session';

interface CollectionRow {
  id: string;
  api_root_id: string;
  alias: string | null;
  title: string;
  description: string | null;
  owner_org_id: string | null;
  owner_group_id: string | null;
  default_marking: TlpLevel;
  unmarked: UnmarkedPolicy;
  attribution: Attribution;
  managed_by: ManagedBy;
}

const COLUMNS = 'id, api_root_id, alias, title, description, owner_org_id, owner_group_id, default_marking, unmarked, attribution, managed_by';

function toOwner(row: CollectionRow): CollectionOwner {
  if (row.owner_org_id !== null) return { kind: 'organization', id: row.owner_org_id };
  // The table's check constraint guarantees exactly one owner column is set.
  return { kind: 'trust-group', id: row.owner_group_id ?? '' };
}

function toCollection(row: CollectionRow): Collection {
  return {
    id: row.id,
    apiRootId: row.api_root_id,
    alias: row.alias,
    title: row.title,
    description: row.description,
    owner: toOwner(row),
    defaultMarking: row.default_marking,
    unmarked: row.unmarked,
    attribution: row.attribution,
    managedBy: row.managed_by,
  };
}

/** The row values in column order, owner split into its two columns. */
function toParams(c: Collection): unknown[] {
  return [
    c.id,
    c.apiRootId,
    c.alias,
    c.title,
    c.description,
    c.owner.kind === 'organization' ? c.owner.id : null,
    c.owner.kind === 'trust-group' ? c.owner.id : null,
    c.defaultMarking,
    c.unmarked,
    c.attribution,
    c.managedBy,
  ];
}

function writeMessages(c: Collection): ConstraintMessages {
  return {
    collections_pkey: `a collection with id '${c.id}' already exists`,
    collections_api_root_id_alias_key: `alias '${c.alias ?? ''}' is already used in API root '${c.apiRootId}'`,
    collections_api_root_id_fkey: `API root '${c.apiRootId}' does not exist`,
    collections_owner_org_id_fkey: `organization '${c.owner.id}' does not exist`,
    collections_owner_group_id_fkey: `trust group '${c.owner.id}' does not exist`,
    collections_check: `collection '${c.id}' must have exactly one owner`,
    collections_default_marking_check: `defaultMarking '${c.defaultMarking}' is not a TLP level`,
    collections_unmarked_check: `unmarked '${c.unmarked}' is not one of default, refuse`,
    collections_attribution_check: `attribution '${c.attribution}' is not one of attributed, hidden`,
    collections_managed_by_check: `managedBy '${c.managedBy}' is not one of config, admin`,
  };
}

export class SqlCollectionRepository implements CrudRepository<Collection> {
  constructor(private readonly session: SqlSession) {}

  async list(): Promise<Collection[]> {
    const { rows } = await this.session.q.query<CollectionRow>(`SELECT ${COLUMNS} FROM collections ORDER BY id`);
    return rows.map(toCollection);
  }

  async get(id: string): Promise<Collection | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.session.q.query<CollectionRow>(`SELECT ${COLUMNS} FROM collections WHERE id = $1`, [id]);
    return rows[0] && toCollection(rows[0]);
  }

  async insert(c: Collection): Promise<void> {
    if (!isUuid(c.id)) throw hubError('VALIDATION_FAILED', `collection id '${c.id}' is not a UUID`);
    await withConstraintMessages('write', writeMessages(c), () =>
      this.session.q.query(`INSERT INTO collections (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, toParams(c)),
    );
  }

  async update(c: Collection): Promise<boolean> {
    if (!isUuid(c.id)) return false;
    const { rowCount } = await withConstraintMessages('write', writeMessages(c), () =>
      this.session.q.query(
        `UPDATE collections SET api_root_id = $2, alias = $3, title = $4, description = $5, owner_org_id = $6, owner_group_id = $7,
           default_marking = $8, unmarked = $9, attribution = $10, managed_by = $11, updated_at = now()
         WHERE id = $1`,
        toParams(c),
      ),
    );
    return rowCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rowCount } = await this.session.q.query('DELETE FROM collections WHERE id = $1', [id]);
    return rowCount === 1;
  }
}

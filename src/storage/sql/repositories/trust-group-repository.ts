import { hubError } from '../../../domain/errors';
import type { Attribution, ManagedBy, PeerLink, Topology, TrustGroup } from '../../../domain/tenancy';
import type { Queryable } from '../database';
import type { CrudRepository } from '../../tenancy-store';
import { withConstraintMessages, type ConstraintMessages } from '../pg-errors';
import type { SqlSession } from './sql-session';

interface TrustGroupRow {
  id: string;
  name: string;
  topology: Topology;
  members: string[];
  tree: Record<string, string[]>;
  peer_links: PeerLink[];
  attribution: Attribution;
  managed_by: ManagedBy;
}

/** Members come from their own table, in declaration order. */
const SELECT = `SELECT g.id, g.name, g.topology, g.tree, g.peer_links, g.attribution, g.managed_by,
  COALESCE((SELECT array_agg(m.organization_id ORDER BY m.position) FROM trust_group_members m WHERE m.group_id = g.id), '{}') AS members
  FROM trust_groups g`;

function toTrustGroup(row: TrustGroupRow): TrustGroup {
  return {
    id: row.id,
    name: row.name,
    topology: row.topology,
    members: row.members,
    tree: row.tree,
    peerLinks: row.peer_links.map((link) => ({ between: [link.between[0], link.between[1]], passDown: link.passDown })),
    attribution: row.attribution,
    managedBy: row.managed_by,
  };
}

function writeMessages(group: TrustGroup): ConstraintMessages {
  return {
    trust_groups_pkey: `a trust group with id '${group.id}' already exists`,
    trust_groups_topology_check: `topology '${group.topology}' is not one of horizontal, vertical, hybrid`,
    trust_groups_managed_by_check: `managedBy '${group.managedBy}' is not one of config, admin`,
    trust_groups_attribution_check: `attribution '${group.attribution}' is not one of attributed, hidden`,
    trust_group_members_organization_id_fkey: `a member of trust group '${group.id}' is not a known organization`,
    trust_group_members_pkey: { code: 'VALIDATION_FAILED', description: `trust group '${group.id}' lists an organization more than once` },
  };
}

/** Only the fields of a peer link, in a stable key order, so what is stored is exactly the domain shape. */
function peerLinksJson(group: TrustGroup): string {
  return JSON.stringify(group.peerLinks.map((link) => ({ between: [link.between[0], link.between[1]], passDown: link.passDown })));
}

/**
 * Refuses a member list with duplicates or unknown organizations before anything is written, so the
 * message can name them (the foreign key still guards against a concurrent delete).
 */
async function checkMembers(q: Queryable, group: TrustGroup): Promise<void> {
  const duplicates = group.members.filter((member, index) => group.members.indexOf(member) !== index);
  if (duplicates.length > 0) {
    throw hubError('VALIDATION_FAILED', `trust group '${group.id}' lists ${[...new Set(duplicates)].map((d) => `'${d}'`).join(', ')} more than once`);
  }
  const { rows } = await q.query<{ member: string }>(
    `SELECT member FROM unnest($1::text[]) WITH ORDINALITY AS t(member, ordinality)
     WHERE NOT EXISTS (SELECT 1 FROM organizations o WHERE o.id = t.member) ORDER BY ordinality`,
    [group.members],
  );
  if (rows.length > 0) {
    const unknown = rows.map((row) => `'${row.member}'`).join(', ');
    throw hubError('VALIDATION_FAILED', `trust group '${group.id}' names unknown organizations: ${unknown}`);
  }
}

async function insertMembers(q: Queryable, group: TrustGroup): Promise<void> {
  if (group.members.length === 0) return;
  await q.query(
    `INSERT INTO trust_group_members (group_id, organization_id, position)
     SELECT $1, member, ordinality - 1 FROM unnest($2::text[]) WITH ORDINALITY AS t(member, ordinality)`,
    [group.id, group.members],
  );
}

export class SqlTrustGroupRepository implements CrudRepository<TrustGroup> {
  constructor(private readonly session: SqlSession) {}

  async list(): Promise<TrustGroup[]> {
    const { rows } = await this.session.q.query<TrustGroupRow>(`${SELECT} ORDER BY g.id COLLATE "C"`);
    return rows.map(toTrustGroup);
  }

  async get(id: string): Promise<TrustGroup | undefined> {
    const { rows } = await this.session.q.query<TrustGroupRow>(`${SELECT} WHERE g.id = $1`, [id]);
    return rows[0] && toTrustGroup(rows[0]);
  }

  async insert(group: TrustGroup): Promise<void> {
    await withConstraintMessages('write', writeMessages(group), () =>
      this.session.atomically(async (q) => {
        await checkMembers(q, group);
        await q.query('INSERT INTO trust_groups (id, name, topology, tree, peer_links, attribution, managed_by) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7)', [
          group.id,
          group.name,
          group.topology,
          JSON.stringify(group.tree),
          peerLinksJson(group),
          group.attribution,
          group.managedBy,
        ]);
        await insertMembers(q, group);
      }),
    );
  }

  /** Replaces the group's fields and its whole member list, atomically. */
  async update(group: TrustGroup): Promise<boolean> {
    return withConstraintMessages('write', writeMessages(group), () =>
      this.session.atomically(async (q) => {
        await checkMembers(q, group);
        const { rowCount } = await q.query(
          `UPDATE trust_groups SET name = $2, topology = $3, tree = $4::jsonb, peer_links = $5::jsonb, attribution = $6, managed_by = $7, updated_at = now()
           WHERE id = $1`,
          [group.id, group.name, group.topology, JSON.stringify(group.tree), peerLinksJson(group), group.attribution, group.managedBy],
        );
        if (rowCount !== 1) return false;
        await q.query('DELETE FROM trust_group_members WHERE group_id = $1', [group.id]);
        await insertMembers(q, group);
        return true;
      }),
    );
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await withConstraintMessages(
      'delete',
      { collections_owner_group_id_fkey: `trust group '${id}' still owns collections` },
      () => this.session.q.query('DELETE FROM trust_groups WHERE id = $1', [id]),
    );
    return rowCount === 1;
  }
}

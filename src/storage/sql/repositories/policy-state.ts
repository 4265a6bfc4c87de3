import type { PolicySnapshot } from '../../tenancy-store';
import type { Database, Queryable } from '../database';
import { SqlCollectionRepository } from './collection-repository';
import { SqlOrganizationRepository } from './organization-repository';
import { transactionSession } from './sql-session';
import { SqlTrustGroupRepository } from './trust-group-repository';

/** The policy_revision row (migration 002), kept by triggers on every table the policy reads. */
export async function readPolicyRevision(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ revision: string | number }>('SELECT revision FROM policy_revision WHERE id = 1');
  // bigint arrives as a string; a revision stays far below 2^53.
  return Number(rows[0]?.revision ?? 0);
}

/**
 * Reads the policy's inputs in one REPEATABLE READ transaction: the three lists and the revision
 * all describe the same committed state, so a concurrent change can never produce a policy that
 * mixes old and new rows, nor label new rows with an old revision.
 */
export function readPolicySnapshot(db: Database): Promise<PolicySnapshot> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const session = transactionSession(tx);
    const revision = await readPolicyRevision(tx);
    const organizations = await new SqlOrganizationRepository(session).list();
    const trustGroups = await new SqlTrustGroupRepository(session).list();
    const collections = await new SqlCollectionRepository(session).list();
    return { revision, organizations, trustGroups, collections };
  });
}

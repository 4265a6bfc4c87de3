import { mayReadAudit } from '../../access/admin-permissions';
import type { Principal } from '../../domain/principal';
import type { AuditEntry, AuditQuery } from '../../storage/tenancy-store';
import { enforce, type AdminDeps } from './admin-context';

export const AUDIT_PAGE_MAX = 500;

/** How many entries a page asked for with `limit` holds at most: between 1 and AUDIT_PAGE_MAX. */
export const auditPageSize = (limit: number): number => Math.min(Math.max(limit, 1), AUDIT_PAGE_MAX);

export function auditAdmin({ store }: AdminDeps) {
  return {
    async list(who: Principal, query: AuditQuery): Promise<AuditEntry[]> {
      enforce(mayReadAudit(who), 'the audit trail');
      return store.audit.list({ ...query, limit: auditPageSize(query.limit) });
    },
  };
}

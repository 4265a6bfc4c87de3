import { mayReadAudit } from '../../access/admin-permissions';
import type { Principal } from '../../domain/principal';
import type { AuditEntry, AuditQuery } from '../../storage/tenancy-store';
import { enforce, type AdminDeps } from './admin-context';

export const AUDIT_PAGE_MAX = 500;

export function auditAdmin({ store }: AdminDeps) {
  return {
    async list(who: Principal, query: AuditQuery): Promise<AuditEntry[]> {
      enforce(mayReadAudit(who), 'the audit trail');
      return store.audit.list({ ...query, limit: Math.min(Math.max(query.limit, 1), AUDIT_PAGE_MAX) });
    },
  };
}

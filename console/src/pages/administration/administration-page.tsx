import '../share/pages.css';
import { AuditTrail } from './audit-trail';
import { HubEntities } from './hub-entities';

/**
 * Administration (operators and org-admins): the audit trail first, then read views of the hub's
 * organizations, users, trust groups and collections, and new API keys for users. What each role
 * reads is what the admin API lets it read; a refusal is shown with the hub's own message.
 */
export function AdministrationPage() {
  return (
    <div class="administration-page">
      <AuditTrail />
      <HubEntities />
    </div>
  );
}

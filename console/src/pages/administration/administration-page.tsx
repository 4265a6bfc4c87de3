import '../share/pages.css';
import { AuditTrail } from './audit-trail';

/**
 * Administration (operators and org-admins): the audit trail. What each role reads is what the
 * admin API lets it read; a refusal is shown with the hub's own message.
 */
export function AdministrationPage() {
  return (
    <div class="administration-page">
      <AuditTrail />
    </div>
  );
}

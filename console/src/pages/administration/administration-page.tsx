import '../share/pages.css';
import './administration.css';
import { useState } from 'preact/hooks';
import { useT } from '../../i18n';
import { hasRole, useSession } from '../../session';
import { ApiKeys } from './api-keys';
import { AuditTrail } from './audit-trail';
import { HubEntities } from './hub-entities';
import { administrationMessages } from './messages';

/**
 * Administration (operators and org-admins; registry.ts offers it to no one else). An operator
 * gets the hub's organizations, users, trust groups and collections (new and edit forms for what
 * the admin API made; what the config declares read-only, with its file and line), every API
 * key, and the audit trail. An org-admin gets the users and API keys of its own organization: the
 * audit trail and the hub's structure are the operators' (the admin API refuses them to it too).
 */
export function AdministrationPage() {
  const t = useT(administrationMessages);
  const operator = hasRole(useSession(), 'operator');
  // A key issued from a user's row appears in the list of API keys.
  const [keys, setKeys] = useState(0);
  return (
    <div class="administration-page">
      {!operator && <p class="notice">{t('orgAdminNotice')}</p>}
      <HubEntities onKeyIssued={() => setKeys((n) => n + 1)} />
      <ApiKeys version={keys} />
      {operator && <AuditTrail />}
    </div>
  );
}
